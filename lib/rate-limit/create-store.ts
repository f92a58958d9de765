/**
 * Picks the store from the settings: Upstash over REST when configured, else the self-hosted
 * Redis, else in-process memory (the embedded single-process default). The network stores
 * are imported on demand so the default never loads a Redis client.
 */
import type { Config } from "@/lib/config/schema";
import { MemoryStore } from "./memory-store";
import type { RateLimitStore } from "./types";

export async function createRateLimitStore(
  config: Pick<Config, "upstash" | "redisUrl">,
  options: { timeoutMs?: number; prefix?: string } = {},
): Promise<RateLimitStore> {
  if (config.upstash) {
    const { UpstashStore } = await import("./upstash-store");
    return new UpstashStore({ ...config.upstash, ...options });
  }
  if (config.redisUrl) {
    const { RedisStore } = await import("./redis-store");
    return new RedisStore({ url: config.redisUrl, ...options });
  }
  return new MemoryStore();
}
