/**
 * The rate limiter's vocabulary. Stores only count: one fixed window, one key at a time.
 * Policies (several windows, an identity, a fail mode) are applied by limiter.ts on top.
 */

/** One counting window: at most `limit` units per `windowSeconds`. */
export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

export interface ConsumeOptions extends RateWindow {
  /** Units this request spends (default 1); a request that does not fit spends nothing. */
  cost?: number;
}

export interface ConsumeResult {
  allowed: boolean;
  limit: number;
  /** Units left in the window after this request. */
  remaining: number;
  /** Whole seconds until the window starts over (at least 1). */
  resetSeconds: number;
}

/**
 * A shared counter. Windows are aligned to the epoch (floor(now / window)), the same scheme
 * @upstash/ratelimit's fixedWindow uses, so every store agrees on when a window starts.
 * Implementations throw StoreUnavailableError when they cannot answer; they never guess.
 */
export interface RateLimitStore {
  readonly kind: "memory" | "redis" | "upstash";
  consume(key: string, options: ConsumeOptions): Promise<ConsumeResult>;
  close(): Promise<void>;
}

export type StoreFailure = "timeout" | "error" | "full";

/** The store could not answer; the policy's failMode decides what the request gets. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly store: RateLimitStore["kind"],
    readonly failure: StoreFailure,
    options?: { cause?: unknown },
  ) {
    super(`rate-limit store ${store} unavailable (${failure})`, options);
    this.name = "StoreUnavailableError";
  }
}

/** Who a policy counts: see RATE_LIMITS in lib/limits.ts. */
export type IdentityKind = "principal" | "ip" | "account";

/** "closed": answer 503 when the store is down; "open": let the request through unmetered. */
export type FailMode = "closed" | "open";

export interface RateLimitPolicySpec {
  readonly windows: readonly RateWindow[];
  readonly identity: IdentityKind;
  readonly failMode: FailMode;
}

export interface RateLimitPolicy extends RateLimitPolicySpec {
  readonly name: string;
}
