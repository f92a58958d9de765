/**
 * The credential check behind the sign-in form: backoff → rate limits → verify → record.
 * Two limits apply to every attempt (RATE_LIMITS "sign-in-account" and "sign-in-ip", counted
 * before the password is hashed, so a burst of parallel guesses is cut at the limit); the
 * backoff after repeated failures (sign-in-throttle.ts) then slows a patient attacker further.
 */
import {
  clearFailures,
  recordFailure,
  secondsUntilAllowed,
  throttleKeys,
} from "@/app/_server/auth/sign-in-throttle";
import { type UserRecord, verifyCredentials } from "@/app/_server/db/queries/users";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { identityKey } from "@/lib/rate-limit/identity";
import type { RateLimiter } from "@/lib/rate-limit/limiter";
import { getPolicy } from "@/lib/rate-limit/policies";

export type SignInResult =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number }
  /** The rate-limit store did not answer; sign-in fails closed rather than go unmetered. */
  | { ok: false; reason: "unavailable"; retryAfterSeconds: number };

export interface SignInDeps {
  db: DatabaseHandle;
  limiter: RateLimiter;
}

/** Spends one attempt against each sign-in policy; the first refusal wins. */
async function spendAttempt(limiter: RateLimiter, input: { email: string; ip: string }) {
  const checks = [
    {
      policy: getPolicy("sign-in-account"),
      identity: identityKey("account", { account: input.email, forwardedFor: null, trustedHops: 0 }),
    },
    // `ip` is already the settled client address, so it is its own one-entry chain.
    {
      policy: getPolicy("sign-in-ip"),
      identity: identityKey("ip", { forwardedFor: input.ip, trustedHops: 0 }),
    },
  ];
  for (const { policy, identity } of checks) {
    const decision = await limiter.check(policy, identity);
    if (decision.outcome === "limited") {
      return { ok: false, reason: "throttled", retryAfterSeconds: decision.retryAfterSeconds } as const;
    }
    if (decision.outcome === "unavailable") {
      return { ok: false, reason: "unavailable", retryAfterSeconds: decision.retryAfterSeconds } as const;
    }
  }
  return undefined;
}

export async function checkSignIn(
  { db, limiter }: SignInDeps,
  input: { email: string; password: string; ip: string },
): Promise<SignInResult> {
  const keys = throttleKeys(input);
  const wait = await secondsUntilAllowed(db, keys);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  const refused = await spendAttempt(limiter, input);
  if (refused) return refused;
  const user = await verifyCredentials(db, input);
  if (!user) {
    await recordFailure(db, keys);
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(db, keys.slice(0, 1));
  return { ok: true, user };
}
