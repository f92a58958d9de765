/**
 * Rate limits for the Next app. proxy.ts calls `checkEdgeRateLimit` first (optimistic: per
 * client address, before anyone is authenticated); each handler that spends compute calls
 * `enforceRateLimit` with the verified user (the authority). Both share one limiter per
 * process, on the store the settings pick (Upstash, Redis, else memory).
 */

import { errorResponse } from "@/app/_server/http/error-response";
import { ApiError } from "@/lib/errors";
import { LIMITS, type RateLimitPolicyName } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import { createRateLimitStore } from "@/lib/rate-limit/create-store";
import type { HeaderMap } from "@/lib/rate-limit/headers";
import { type IdentitySource, identityKey } from "@/lib/rate-limit/identity";
import { InFlightGate } from "@/lib/rate-limit/in-flight";
import { type CheckOptions, type RateLimitDecision, RateLimiter } from "@/lib/rate-limit/limiter";
import { getPolicy } from "@/lib/rate-limit/policies";

interface Shared {
  limiter?: Promise<RateLimiter>;
  gate?: InFlightGate;
}

// proxy.ts and the route handlers are separate bundles in one process; a global slot lets
// them share one store connection and one in-flight count instead of one per bundle.
const SHARED_KEY = Symbol.for("parla.rate-limit");
function shared(): Shared {
  const holder = globalThis as typeof globalThis & { [SHARED_KEY]?: Shared };
  holder[SHARED_KEY] ??= {};
  return holder[SHARED_KEY];
}

export function rateLimiter(): Promise<RateLimiter> {
  const slot = shared();
  slot.limiter ??= createRateLimitStore(getConfig())
    .then((store) => new RateLimiter({ store }))
    .catch((error: unknown) => {
      // Let the next request try again rather than failing every request for good.
      slot.limiter = undefined;
      throw error;
    });
  return slot.limiter;
}

export function inFlightGate(): InFlightGate {
  const slot = shared();
  slot.gate ??= new InFlightGate(LIMITS.rateLimit.MAX_IN_FLIGHT_REQUESTS);
  return slot.gate;
}

/** A 429 or 503 from a rate-limit policy; the body names the policy (`error.limit`). */
export class RateLimitError extends ApiError {
  readonly limit: string;

  constructor(decision: Extract<RateLimitDecision, { outcome: "limited" | "unavailable" }>) {
    if (decision.outcome === "limited") {
      super(
        "rate_limited",
        decision.policy,
        `Too many requests (${decision.window}); try again in ${decision.retryAfterSeconds} s`,
        undefined,
        decision.headers,
      );
    } else {
      super(
        "unavailable",
        decision.policy,
        "Requests cannot be metered right now; try again shortly",
        undefined,
        decision.headers,
      );
    }
    this.name = "RateLimitError";
    this.limit = decision.policy;
  }

  override toBody() {
    const body = super.toBody();
    return { error: { ...body.error, limit: this.limit } };
  }
}

/** Who is asking, as far as the handler has verified it. */
export type RateLimitSubject = Pick<IdentitySource, "userId" | "apiKeyId" | "account">;

export async function checkRateLimit(
  request: Request,
  policyName: RateLimitPolicyName,
  subject: RateLimitSubject = {},
  options: CheckOptions = {},
): Promise<RateLimitDecision> {
  const policy = getPolicy(policyName);
  const identity = identityKey(policy.identity, {
    ...subject,
    forwardedFor: request.headers.get("x-forwarded-for"),
    trustedHops: getConfig().trustProxyHops,
  });
  return (await rateLimiter()).check(policy, identity, options);
}

/**
 * The handler-side authority: resolves to the headers to put on the success response, or
 * throws a RateLimitError (429/503 with Retry-After) that apiRoute turns into the reply.
 */
export async function enforceRateLimit(
  request: Request,
  policyName: RateLimitPolicyName,
  subject: RateLimitSubject = {},
  options: CheckOptions = {},
): Promise<HeaderMap> {
  const decision = await checkRateLimit(request, policyName, subject, options);
  if (decision.outcome === "limited" || decision.outcome === "unavailable") {
    throw new RateLimitError(decision);
  }
  return decision.headers;
}

/** The proxy's first gate: the global policy, per client address. */
export function checkEdgeRateLimit(request: Request): Promise<RateLimitDecision> {
  return checkRateLimit(request, "global");
}

/**
 * Caps the requests this process serves at once. It wraps a handler (not the proxy: the proxy
 * hands a request on and never sees it finish, so it cannot count what is in flight).
 */
export function withInFlightLimit<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Promise<Response>,
): (request: Request, ...rest: A) => Promise<Response> {
  return (request, ...rest) =>
    inFlightGate().run(
      () => handler(request, ...rest),
      () =>
        errorResponse(
          new ApiError("unavailable", "capacity", "The server is busy; try again shortly", undefined, {
            "Retry-After": String(LIMITS.rateLimit.UNAVAILABLE_RETRY_AFTER_SECONDS),
          }),
        ),
    );
}
