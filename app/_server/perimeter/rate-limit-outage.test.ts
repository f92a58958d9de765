/**
 * The limiter's store is down (REDIS_URL names a port nothing listens on): the policies of the
 * routes that spend compute refuse with 503 (fail closed), the edge's global limit lets requests
 * through unmetered (fail open), and nothing hangs past the store timeout. The handlers call
 * enforceRateLimit exactly as below (next-auth cannot load under vitest, so no route is imported).
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { errorResponse } from "@/app/_server/http/error-response";
import { LIMITS } from "@/lib/limits";
import { proxy } from "@/proxy";
import { stubEmbeddedEnv } from "@/test/embedded-env";
import { freePort } from "@/test/ports";
import { enforceRateLimit, RateLimitError, rateLimiter } from "./rate-limit";

stubEmbeddedEnv("rate-limit-outage");

beforeAll(async () => {
  vi.stubEnv("REDIS_URL", `redis://127.0.0.1:${await freePort()}`);
});

afterAll(async () => {
  await (await rateLimiter()).store.close();
});

describe("rate-limit store down", () => {
  it("every compute policy refuses with 503, Retry-After and the policy's name, quickly", async () => {
    const request = new Request("http://localhost/api/jobs", { method: "POST" });
    for (const policy of ["speech", "transcription", "translation", "sign-in-ip"] as const) {
      const started = performance.now();
      const refusal = await enforceRateLimit(request, policy, { userId: "user-outage" }).catch(
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(RateLimitError);
      const response = errorResponse(refusal as RateLimitError);
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe(
        String(LIMITS.rateLimit.UNAVAILABLE_RETRY_AFTER_SECONDS),
      );
      expect(await response.json()).toMatchObject({
        error: { code: `unavailable:${policy}`, limit: policy },
      });
      expect(performance.now() - started).toBeLessThan(LIMITS.rateLimit.STORE_TIMEOUT_MS * 4 + 1_000);
    }
  });

  it("the edge's global limit fails open: the request goes on, unmetered", async () => {
    const response = await proxy(
      new NextRequest("http://localhost/v1/models", { headers: { "x-forwarded-for": "192.0.2.44" } }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("RateLimit")).toBeNull();
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  });
});
