/**
 * Counters on Upstash Redis over REST (UPSTASH_REDIS_REST_URL/TOKEN), through @upstash/ratelimit.
 * Two things differ from the library's defaults on purpose:
 * - On timeout the library answers success with reason "timeout" (fail open, silently);
 *   here that becomes StoreUnavailableError so the policy's failMode decides.
 * - The library charges a request even when it is refused; a refused weighted request is
 *   refunded so that, as in the other stores, a request that does not fit spends nothing.
 */
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { LIMITS } from "@/lib/limits";
import { type ConsumeOptions, type ConsumeResult, type RateLimitStore, StoreUnavailableError } from "./types";
import { normalizeCost, windowPosition } from "./window";

export interface UpstashStoreOptions {
  url: string;
  token: string;
  prefix?: string;
  timeoutMs?: number;
}

export class UpstashStore implements RateLimitStore {
  readonly kind = "upstash";
  private readonly redis: Redis;
  private readonly limiters = new Map<string, Ratelimit>();
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(options: UpstashStoreOptions) {
    this.prefix = options.prefix ?? "parla:rl";
    this.timeoutMs = options.timeoutMs ?? LIMITS.rateLimit.STORE_TIMEOUT_MS;
    this.redis = new Redis({
      url: options.url,
      token: options.token,
      // One attempt: the limiter's own timeout decides when the store counts as down.
      retry: { retries: 0 },
      enableTelemetry: false,
    });
  }

  async consume(key: string, options: ConsumeOptions): Promise<ConsumeResult> {
    const cost = normalizeCost(options.cost);
    const limiter = this.limiterFor(options.limit, options.windowSeconds);
    const charged = await this.limit(limiter, key, cost);
    // Our reset comes from the same epoch-aligned window the library uses (its `reset` is 0 on timeout).
    const { resetSeconds } = windowPosition(Date.now(), options.windowSeconds);
    if (charged.success || cost === 1) {
      // A refused single unit changes nothing observable (remaining is already 0), so no refund trip.
      return { allowed: charged.success, limit: options.limit, remaining: charged.remaining, resetSeconds };
    }
    let remaining = 0;
    try {
      remaining = (await this.limit(limiter, key, -cost)).remaining;
    } catch {
      // The refund is best effort: the only cost of losing it is a stricter window.
    }
    return { allowed: false, limit: options.limit, remaining, resetSeconds };
  }

  async close(): Promise<void> {
    this.limiters.clear();
  }

  private limiterFor(limit: number, windowSeconds: number): Ratelimit {
    const id = `${limit}/${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.fixedWindow(limit, `${windowSeconds} s`),
        // Distinct limits on one key name must not share counters.
        prefix: `${this.prefix}:${windowSeconds}`,
        timeout: this.timeoutMs,
        // Its in-process block list would refuse a small request after a large one was refused.
        ephemeralCache: false,
        analytics: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private async limit(limiter: Ratelimit, key: string, rate: number) {
    let response: Awaited<ReturnType<Ratelimit["limit"]>>;
    try {
      response = await limiter.limit(key, { rate });
    } catch (error) {
      throw new StoreUnavailableError("upstash", "error", { cause: error });
    }
    if (response.reason === "timeout") throw new StoreUnavailableError("upstash", "timeout");
    return response;
  }
}
