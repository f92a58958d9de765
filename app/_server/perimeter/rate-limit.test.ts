import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { LIMITS, RATE_LIMITS } from "@/lib/limits";
import { proxy } from "@/proxy";
import { stubEmbeddedEnv } from "@/test/embedded-env";
import { enforceRateLimit, inFlightGate, RateLimitError, withInFlightLimit } from "./rate-limit";

// The embedded default (in-process memory), behind one trusted proxy.
stubEmbeddedEnv("rate-limit", { TRUST_PROXY_HOPS: "1" });

/** Windows are epoch-aligned: start counting well inside a minute so the test cannot straddle two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/** As Next sees it behind one trusted proxy: [what the client wrote…, the client as the proxy saw it]. */
const apiRequest = (client: string, spoof = "") =>
  new NextRequest("http://localhost/api/jobs", {
    headers: { "x-forwarded-for": `${spoof ? `${spoof}, ` : ""}${client}` },
  });

describe("proxy: the global limit on /api", () => {
  it("meters every API request and refuses the one past the limit, spoofed or not", async () => {
    const perMinute = RATE_LIMITS.global.windows[0].limit;
    await awayFromMinuteBoundary();
    const first = await proxy(apiRequest("198.51.100.20"));
    expect(first.status).toBe(200);
    // A passed request carries its route policy's headers (set by the handler), not the edge's.
    expect(first.headers.get("RateLimit-Policy")).toBeNull();
    expect(first.headers.get("Content-Security-Policy")).toContain("default-src 'none'");

    // Rotating the part of X-Forwarded-For the client controls lands in the same bucket.
    for (let i = 1; i < perMinute; i++) await proxy(apiRequest("198.51.100.20", `203.0.113.${i % 250}`));
    const refused = await proxy(apiRequest("198.51.100.20", "192.0.2.99"));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("0");
    expect(refused.headers.get("RateLimit-Policy")).toBe(
      '"global-minute";q=1000;w=60, "global-hour";q=10000;w=3600',
    );
    expect(refused.headers.get("RateLimit")).toMatch(/^"global-minute";r=0;t=\d+$/);
    expect(refused.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(await refused.json()).toEqual({
      error: {
        code: "rate_limited:global",
        message: expect.stringContaining("global-minute"),
        type: "rate_limit_error",
        param: null,
        limit: "global",
      },
    });

    expect((await proxy(apiRequest("198.51.100.21"))).status).toBe(200);
  });

  it("leaves pages alone", async () => {
    const page = await proxy(
      new NextRequest("http://localhost/", { headers: { "x-forwarded-for": "1.2.3.4" } }),
    );
    expect(page.headers.get("RateLimit")).toBeNull();
  });
});

describe("handler-side enforcement", () => {
  it("returns headers while within the policy, then throws a 429 naming it", async () => {
    const request = new Request("http://localhost/api/jobs", {
      headers: { "x-forwarded-for": "192.0.2.5" },
    });
    await awayFromMinuteBoundary();
    for (let i = 0; i < 15; i++) {
      const headers = await enforceRateLimit(request, "speech", { userId: "user-rl-1" });
      expect(headers["X-RateLimit-Remaining"]).toBe(String(14 - i));
    }
    const refusal = await enforceRateLimit(request, "speech", { userId: "user-rl-1" }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(RateLimitError);
    const error = refusal as RateLimitError;
    expect(error.status).toBe(429);
    expect(error.headers?.["Retry-After"]).toMatch(/^\d+$/);
    expect(error.toBody().error).toMatchObject({ code: "rate_limited:speech", limit: "speech" });
    // Another user from the same address has their own quota.
    await expect(enforceRateLimit(request, "speech", { userId: "user-rl-2" })).resolves.toBeDefined();
  });

  it("caps requests in flight and answers 503 past the cap", async () => {
    const releases: (() => void)[] = [];
    const handler = withInFlightLimit(
      (_request: Request) =>
        new Promise<Response>((resolve) => releases.push(() => resolve(new Response("ok")))),
    );
    const request = new Request("http://localhost/api/jobs");
    const held = Array.from({ length: LIMITS.rateLimit.MAX_IN_FLIGHT_REQUESTS }, () => handler(request));
    const busy = await handler(request);
    expect(busy.status).toBe(503);
    expect(busy.headers.get("Retry-After")).toBe(String(LIMITS.rateLimit.UNAVAILABLE_RETRY_AFTER_SECONDS));
    for (const release of releases) release();
    await Promise.all(held);
    expect(inFlightGate().inFlight).toBe(0);
  });
});
