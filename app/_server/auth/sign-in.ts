/** The credential check behind the sign-in form: throttle → verify → record. */
import {
  clearFailures,
  recordFailure,
  secondsUntilAllowed,
  throttleKeys,
} from "@/app/_server/auth/sign-in-throttle";
import { type UserRecord, verifyCredentials } from "@/app/_server/db/queries/users";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export type SignInResult =
  | { ok: true; user: UserRecord }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export async function checkSignIn(
  handle: DatabaseHandle,
  input: { email: string; password: string; ip: string },
): Promise<SignInResult> {
  const keys = throttleKeys(input);
  const wait = await secondsUntilAllowed(handle, keys);
  if (wait > 0) return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  const user = await verifyCredentials(handle, input);
  if (!user) {
    await recordFailure(handle, keys);
    return { ok: false, reason: "invalid" };
  }
  await clearFailures(handle, keys.slice(0, 1));
  return { ok: true, user };
}
