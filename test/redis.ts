/**
 * The real Redis this machine runs (TEST_REDIS_URL), for the scale-out suites. Each suite gets
 * its own key prefix and removes its keys afterwards. Locally a missing Redis skips those suites
 * with a warning; under CI it fails the run.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisReachable(): Promise<boolean> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
  });
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    if (process.env.CI) throw new Error(`Redis is required under CI: ${TEST_REDIS_URL} is unreachable`);
    console.warn(`Redis unreachable at ${TEST_REDIS_URL}: skipping its suites`);
    return false;
  } finally {
    client.disconnect();
  }
}

export const hasRedis = await redisReachable();

/** A key prefix no other suite or run shares. */
export function uniqueRedisPrefix(name: string): string {
  return `parla-test:${name}:${randomBytes(6).toString("hex")}:`;
}

/** Deletes every key under `prefix` (SCAN, never KEYS, so a shared server is not blocked). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = new Redis(TEST_REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}
