/**
 * Counters on a self-hosted Redis (REDIS_URL), shared by every process. One Lua script reads,
 * checks and increments in a single atomic step, so N concurrent requests against limit L let
 * exactly L through, and a request that does not fit spends nothing.
 */
import { Redis } from "ioredis";
import { z } from "zod";
import { LIMITS } from "@/lib/limits";
import { type ConsumeOptions, type ConsumeResult, type RateLimitStore, StoreUnavailableError } from "./types";
import { normalizeCost, windowPosition } from "./window";

// KEYS[1] counter; ARGV cost, limit, ttl ms. Returns {allowed (0/1), used after}.
const CONSUME_SCRIPT = `
local cost = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + cost > limit then
  return {0, used}
end
used = redis.call('INCRBY', KEYS[1], cost)
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return {1, used}
`;

const scriptReply = z.tuple([z.union([z.literal(0), z.literal(1)]), z.number().int().nonnegative()]);

// Keys outlive their window a little so a slow clock on one process still finds the count.
const KEY_GRACE_MS = 5_000;

type ScriptedRedis = Redis & {
  parlaConsume(key: string, cost: number, limit: number, ttlMs: number): Promise<unknown>;
};

export interface RedisStoreOptions {
  url: string;
  /** Starts every key (then ":"), so tests and deployments sharing a server stay apart. */
  prefix?: string;
  timeoutMs?: number;
  now?: () => number;
  /** Connection errors land here (never logged by the store: the URL may carry a password). */
  onError?: (error: Error) => void;
}

export class RedisStore implements RateLimitStore {
  readonly kind = "redis";
  private readonly client: ScriptedRedis;
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(options: RedisStoreOptions) {
    const timeoutMs = options.timeoutMs ?? LIMITS.rateLimit.STORE_TIMEOUT_MS;
    this.prefix = options.prefix ?? "parla:rl";
    this.now = options.now ?? Date.now;
    const client = new Redis(options.url, {
      // Connects on the first command, so importing the store costs nothing.
      lazyConnect: true,
      connectTimeout: timeoutMs * 4,
      commandTimeout: timeoutMs,
      // A limiter must answer now or never: no per-command retries, reconnect in the background.
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    client.defineCommand("parlaConsume", { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    // Without a listener ioredis prints every reconnect failure; the limiter reports outages itself.
    client.on("error", (error: Error) => options.onError?.(error));
    this.client = client as ScriptedRedis;
  }

  async consume(key: string, options: ConsumeOptions): Promise<ConsumeResult> {
    const cost = normalizeCost(options.cost);
    const position = windowPosition(this.now(), options.windowSeconds);
    const ttlMs = options.windowSeconds * 1000 + KEY_GRACE_MS;
    let reply: unknown;
    try {
      reply = await this.client.parlaConsume(
        `${this.prefix}:${key}:${options.windowSeconds}:${position.bucket}`,
        cost,
        options.limit,
        ttlMs,
      );
    } catch (error) {
      const timedOut = error instanceof Error && /timed? ?out/i.test(error.message);
      throw new StoreUnavailableError("redis", timedOut ? "timeout" : "error", { cause: error });
    }
    const [allowed, used] = scriptReply.parse(reply);
    return {
      allowed: allowed === 1,
      limit: options.limit,
      remaining: Math.max(0, options.limit - used),
      resetSeconds: position.resetSeconds,
    };
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
