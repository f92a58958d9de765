/**
 * Automatic abuse blocks. Each refusal an identity draws (a 429, or a request refused as
 * invalid) is a strike counted in the rate-limit store, so the count is shared wherever the
 * limits are (memory, Redis, Upstash). The strike past the policy's threshold within its window
 * calls `onAbuse`, which places a block for `blockSeconds`.
 */
import { LIMITS } from "@/lib/limits";
import { hashIdentity } from "./limiter";
import type { RateLimitStore } from "./types";

export type Strike = "rate_limited" | "invalid";

export interface AbusePolicy {
  maxRateLimited: number;
  maxInvalid: number;
  windowSeconds: number;
  blockSeconds: number;
}

export const DEFAULT_ABUSE_POLICY: AbusePolicy = {
  maxRateLimited: LIMITS.abuse.MAX_RATE_LIMITED_PER_WINDOW,
  maxInvalid: LIMITS.abuse.MAX_INVALID_PER_WINDOW,
  windowSeconds: LIMITS.abuse.WINDOW_SECONDS,
  blockSeconds: LIMITS.abuse.BLOCK_SECONDS,
};

// Validation refusals: malformed (400), too large (413), wrong type (415), invalid (422).
const INVALID_STATUSES = new Set([400, 413, 415, 422]);

/** The strike a response status counts as, if any. 401/403/404 are not strikes: they are normal. */
export function strikeFor(status: number): Strike | undefined {
  if (status === 429) return "rate_limited";
  return INVALID_STATUSES.has(status) ? "invalid" : undefined;
}

export interface AbuseMonitorOptions {
  store: RateLimitStore;
  policy?: AbusePolicy;
  /** Separates deployments (or test runs) that share a store. */
  namespace?: string;
  /** Places the block; `identity` is an identityKey() such as "user:…", "key:…" or "ip:…". */
  onAbuse: (identity: string, strike: Strike, blockSeconds: number) => Promise<void>;
}

export class AbuseMonitor {
  readonly policy: AbusePolicy;

  constructor(private readonly options: AbuseMonitorOptions) {
    this.policy = options.policy ?? DEFAULT_ABUSE_POLICY;
  }

  /** Counts one strike; true when this strike crossed the threshold and a block was placed. */
  async record(identity: string, strike: Strike): Promise<boolean> {
    const limit = strike === "rate_limited" ? this.policy.maxRateLimited : this.policy.maxInvalid;
    const key = `${this.options.namespace ?? ""}abuse-${strike}:${await hashIdentity(identity)}`;
    const counted = await this.options.store.consume(key, {
      limit,
      windowSeconds: this.policy.windowSeconds,
    });
    if (counted.allowed) return false;
    await this.options.onAbuse(identity, strike, this.policy.blockSeconds);
    return true;
  }
}
