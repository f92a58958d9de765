/**
 * The limiter's store is down (REDIS_URL names a port nothing listens on): the policies of the
 * routes that spend compute refuse with 503 (fail closed), the edge's global limit lets requests
 * through unmetered (fail open), and nothing hangs past the store timeout. The handlers call
 * enforceRateLimit exactly as below (next-auth cannot load under vitest, so no route is imported).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { errorResponse } from "@/app/_server/http/error-response";
import { LIMITS } from "@/lib/limits";
import { proxy } from "@/proxy";
import { enforceRateLimit, RateLimitError, rateLimiter } from "./rate-limit";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-rate-limit-outage-"));

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("AUTH_SECRET", "a".repeat(64));
  vi.stubEnv("BACKEND_SECRET", "k".repeat(64));
  vi.stubEnv("REDIS_URL", `redis://127.0.0.1:${await closedPort()}`);
  vi.stubEnv("UPSTASH_REDIS_REST_URL", "");
  vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", "");
});

afterAll(async () => {
  await (await rateLimiter()).store.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
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
