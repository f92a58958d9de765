/**
 * The real Redis this machine runs (TEST_REDIS_URL), for the scale-out suites. Each suite gets
 * its own key prefix and removes its keys afterwards. Locally a missing Redis skips those suites
 * with a warning; under CI it fails the run.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { deleteKeysUnder } from "@/test/redis-keys";

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

/** Deletes every key under `prefix` on the test Redis. */
export function deleteRedisKeys(prefix: string): Promise<void> {
  return deleteKeysUnder(TEST_REDIS_URL, prefix);
}
