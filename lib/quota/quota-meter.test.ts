/** Quotas on the real stores: in-process memory and the Redis on this machine. */
import { afterAll, describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { RedisStore } from "@/lib/rate-limit/redis-store";
import type { RateLimitStore } from "@/lib/rate-limit/types";
import { deleteRedisKeys, hasRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "@/test/redis";
import { DAILY_QUOTAS, QuotaExceededError, QuotaMeter, type QuotaTable } from "./quota-meter";

const SMALL: QuotaTable = { speech: { free: 100, pro: 1000 }, transcription: { free: 60, pro: 600 } };
const prefix = uniqueRedisPrefix("quota");
const stores: RateLimitStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  if (hasRedis) await deleteRedisKeys(prefix);
});

const harnesses: [string, () => RateLimitStore][] = [["memory", () => new MemoryStore()]];
if (hasRedis) harnesses.push(["redis", () => new RedisStore({ url: TEST_REDIS_URL, prefix })]);

let run = 0;
const freshUser = () => `quota-user-${Date.now()}-${run++}`;

for (const [name, makeStore] of harnesses) {
  describe(`daily quotas on ${name}`, () => {
    const store = makeStore();
    stores.push(store);
    const meter = new QuotaMeter(new RateLimiter({ store, namespace: `${prefix}:${name}:` }), {
      quotas: SMALL,
    });

    it("charges by units and refuses the job that does not fit, until the UTC day rolls over", async () => {
      const userId = freshUser();
      const charge = (units: number) => meter.charge({ userId, tier: "free", kind: "speech", units });
      const first = await charge(60);
      expect(first["RateLimit-Policy"]).toBe('"speech-characters-day";q=100;w=86400');
      expect(first["X-RateLimit-Remaining"]).toBe("40");
      const refused = await charge(41).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(QuotaExceededError);
      const error = refused as QuotaExceededError;
      expect(error.status).toBe(429);
      expect(error.toBody().error).toMatchObject({
        code: "rate_limited:quota",
        quota: "speech-characters-day",
      });
      expect(error.message).toContain("needs 41 characters, 40 of 100 are left today");
      const secondsToMidnight = Math.ceil((86_400_000 - (Date.now() % 86_400_000)) / 1000);
      const retryAfter = Number(error.headers?.["Retry-After"]);
      expect(retryAfter).toBeGreaterThan(0);
      expect(Math.abs(retryAfter - secondsToMidnight)).toBeLessThanOrEqual(2);
      expect(error.headers?.["X-RateLimit-Limit"]).toBe("100");
      expect(error.headers?.["X-RateLimit-Remaining"]).toBe("40");
      expect(error.headers?.RateLimit).toMatch(/^"speech-characters-day";r=40;t=\d+$/);
      // The refused job spent nothing: what is left still fits.
      expect((await charge(40))["X-RateLimit-Remaining"]).toBe("0");
      await expect(charge(1)).rejects.toBeInstanceOf(QuotaExceededError);
    });

    it("keeps speech and transcription apart, rounds seconds up, and follows the tier", async () => {
      const userId = freshUser();
      await meter.charge({ userId, tier: "free", kind: "speech", units: 100 });
      const seconds = await meter.charge({ userId, tier: "free", kind: "transcription", units: 29.2 });
      expect(seconds["X-RateLimit-Remaining"]).toBe("30");
      await expect(
        meter.charge({ userId, tier: "free", kind: "transcription", units: 31 }),
      ).rejects.toMatchObject({ quota: "transcription-seconds-day" });
      // Raised to pro the same day: today's use counts against the larger quota.
      const pro = await meter.charge({ userId, tier: "pro", kind: "transcription", units: 31 });
      expect(pro["X-RateLimit-Remaining"]).toBe(String(600 - 30 - 31));
    });

    it("keeps people apart", async () => {
      const [a, b] = [freshUser(), freshUser()];
      await meter.charge({ userId: a, tier: "free", kind: "speech", units: 100 });
      await expect(
        meter.charge({ userId: a, tier: "free", kind: "speech", units: 1 }),
      ).rejects.toBeInstanceOf(QuotaExceededError);
      await expect(
        meter.charge({ userId: b, tier: "free", kind: "speech", units: 100 }),
      ).resolves.toBeDefined();
    });
  });
}

describe("default quotas", () => {
  it("fit at least one largest job of each tier", () => {
    expect(DAILY_QUOTAS.speech.free).toBeGreaterThanOrEqual(LIMITS.tts.FREE_MAX_CHARS);
    expect(DAILY_QUOTAS.speech.pro).toBeGreaterThanOrEqual(LIMITS.tts.PRO_MAX_CHARS);
    expect(DAILY_QUOTAS.transcription.free).toBeGreaterThanOrEqual(LIMITS.stt.FREE_MAX_SECONDS);
    expect(DAILY_QUOTAS.transcription.pro).toBeGreaterThanOrEqual(LIMITS.stt.PRO_MAX_SECONDS);
    expect(DAILY_QUOTAS.speech.pro).toBeGreaterThan(DAILY_QUOTAS.speech.free);
    expect(DAILY_QUOTAS.transcription.pro).toBeGreaterThan(DAILY_QUOTAS.transcription.free);
  });
});
