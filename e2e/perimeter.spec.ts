/**
 * The perimeter attacked through the real server: rate limits and their headers, a client that
 * rotates X-Forwarded-For, CORS, body limits and a trickled body, and the security headers and
 * CSP on every page.
 */
import { randomUUID } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { LIMITS, RATE_LIMITS } from "@/lib/limits";
import { expect, expectNoAxeViolations, test } from "./fixtures";
import { asClient, randomClientAddress } from "./helpers/client-address";
import { createApiKey, parla } from "./helpers/parla-cli";
import { chunk, rawRequest } from "./helpers/raw-http";

/** A user and key made by the operator CLI: no sign-in needed. */
function keyedUser(scopes: Parameters<typeof createApiKey>[1] = ["speech", "transcription", "results"]) {
  const email = `e2e-perimeter-${randomUUID()}@example.com`;
  parla("user:create", "--email", email, "--password", "a long e2e password");
  return { authorization: `Bearer ${createApiKey(email, scopes)}` };
}

/** Windows are epoch-aligned: start a count well inside a minute so it cannot straddle two. */
async function awayFromMinuteBoundary(needMs: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

async function expectRateLimited(response: APIResponse, policy: string) {
  expect(response.status()).toBe(429);
  const headers = response.headers();
  expect(headers["retry-after"]).toMatch(/^[1-9]\d*$/);
  expect(headers["ratelimit-policy"]).toContain(`"${policy}-minute";q=`);
  expect(headers.ratelimit).toMatch(new RegExp(`"${policy}-minute";r=0;t=\\d+`));
  expect(headers["x-ratelimit-limit"]).toBe(
    String(RATE_LIMITS[policy as keyof typeof RATE_LIMITS].windows[0].limit),
  );
  expect(headers["x-ratelimit-remaining"]).toBe("0");
  expect(headers["x-ratelimit-reset"]).toMatch(/^\d+$/);
  expect(await response.json()).toEqual({
    error: {
      code: `rate_limited:${policy}`,
      message: expect.stringContaining(`${policy}-minute`),
      limit: policy,
      type: "rate_limit_error",
      param: null,
    },
  });
}

const port = (baseURL: string | undefined) => Number(new URL(baseURL ?? "").port);

test.describe("rate limits", () => {
  test("rotating X-Forwarded-For does not reset a client's bucket at the edge", async ({ request }) => {
    test.setTimeout(120_000);
    const perMinute = RATE_LIMITS.global.windows[0].limit;
    const client = randomClientAddress();
    // What a trusted proxy forwards: whatever the client wrote, then the address it saw.
    const spoofed = () => ({ "x-forwarded-for": `${randomClientAddress()}, ${client}` });
    await awayFromMinuteBoundary(30_000);
    for (let sent = 0; sent < perMinute; sent += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, perMinute - sent) }, () =>
          request.get("/v1/models", { headers: spoofed() }),
        ),
      );
      expect(batch.map((response) => response.status())).toEqual(batch.map(() => 401));
    }
    await expectRateLimited(await request.get("/v1/models", { headers: spoofed() }), "global");
    // Another client is untouched.
    expect((await request.get("/v1/models", { headers: asClient() })).status()).toBe(401);
  });

  test("a handler's own policy refuses past its limit with every header and a body naming it", async ({
    request,
  }) => {
    const auth = keyedUser();
    await awayFromMinuteBoundary(15_000);
    const perMinute = RATE_LIMITS.speech.windows[0].limit;
    // Invalid bodies still count: the limit is checked before the body is read.
    for (let sent = 0; sent < perMinute; sent++) {
      const response = await request.post("/api/jobs", { headers: auth, data: {} });
      expect(response.status()).toBe(400);
    }
    await expectRateLimited(await request.post("/api/jobs", { headers: auth, data: {} }), "speech");
  });
  test("model downloads for previews are bounded per client", async ({ request }) => {
    const perMinute = RATE_LIMITS["model-download"].windows[0].limit;
    const client = asClient();
    await awayFromMinuteBoundary(20_000);
    const file = "/api/models/kokoro-82m-v1.0-voices/config.json";
    const statuses = await Promise.all(
      Array.from({ length: perMinute }, () => request.get(file, { headers: client }).then((r) => r.status())),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(perMinute);
    await expectRateLimited(await request.get(file, { headers: client }), "model-download");
  });
});

test.describe("CORS", () => {
  const ALLOWED = "https://allowed.example";

  test("an allowed origin's preflight and request get CORS headers; other origins are refused", async ({
    request,
  }) => {
    const auth = keyedUser(["results"]);
    const preflight = await request.fetch("/v1/models", {
      method: "OPTIONS",
      headers: {
        origin: ALLOWED,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status()).toBe(204);
    expect(preflight.headers()["access-control-allow-origin"]).toBe(ALLOWED);
    expect(preflight.headers()["access-control-allow-headers"]).toContain("authorization");
    expect(preflight.headers()["access-control-allow-credentials"]).toBeUndefined();

    const allowed = await request.get("/v1/models", { headers: { ...auth, origin: ALLOWED } });
    expect(allowed.status()).toBe(200);
    expect(allowed.headers()["access-control-allow-origin"]).toBe(ALLOWED);
    expect(allowed.headers()["access-control-expose-headers"]).toContain("RateLimit");
    expect(allowed.headers().vary).toContain("Origin");

    for (const origin of ["https://evil.example", "https://allowed.example.evil.example", "null"]) {
      const refusedPreflight = await request.fetch("/api/jobs", {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      expect(refusedPreflight.status()).toBe(403);
      expect(refusedPreflight.headers()["access-control-allow-origin"]).toBeUndefined();
      const refused = await request.get("/v1/models", { headers: { ...auth, origin } });
      expect(refused.status()).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "forbidden:cors" } });
    }
    // Same origin needs nothing.
    const own = new URL(allowed.url()).origin;
    expect((await request.get("/v1/models", { headers: { ...auth, origin: own } })).status()).toBe(200);
  });
});

test.describe("request bodies", () => {
  /** A keyed POST of JSON to a share route, framed by `framing` (a length or chunked). */
  const shareHead = (framing: string) => [
    `POST /api/jobs/${randomUUID()}/share HTTP/1.1`,
    "Host: 127.0.0.1",
    `Authorization: ${keyedUser(["results"]).authorization}`,
    "Content-Type: application/json",
    framing,
    "Connection: close",
  ];

  test("a declared Content-Length over the limit is refused before the body is read", async ({ baseURL }) => {
    const response = await rawRequest({
      port: port(baseURL),
      head: shareHead(`Content-Length: ${LIMITS.http.MAX_JSON_BODY_BYTES * 100}`),
      // Send a little, then nothing: the answer must not wait for the rest.
      body: async (write) => void (await write("{")),
    });
    expect(response.status).toBe(413);
    expect(response.body).toContain("payload_too_large:body");
  });

  test("a chunked body is counted as it streams and cut off at the limit", async ({ baseURL }) => {
    const piece = `"${"x".repeat(16 * 1024)}",`;
    const response = await rawRequest({
      port: port(baseURL),
      head: shareHead("Transfer-Encoding: chunked"),
      body: async (write) => {
        await write(chunk("["));
        // 16× the limit, with no length announced anywhere: only counting can catch it.
        for (let i = 0; i < 64 && (await write(chunk(piece))); i++);
        await write("0\r\n\r\n");
      },
    });
    expect(response.status).toBe(413);
  });

  test("a client that trickles its body gets 408 after the read deadline, not a hang", async ({
    baseURL,
  }) => {
    test.setTimeout(60_000);
    const response = await rawRequest({
      port: port(baseURL),
      head: shareHead("Transfer-Encoding: chunked"),
      body: async (write) => {
        // One byte a second, forever (until the server answers).
        while (await write(chunk(" "))) await new Promise((resolve) => setTimeout(resolve, 1_000));
      },
      timeoutMs: LIMITS.http.BODY_READ_TIMEOUT_MS + 15_000,
    });
    expect(response.status).toBe(408);
    expect(response.body).toContain("request_timeout:body");
    expect(response.elapsedMs).toBeGreaterThanOrEqual(LIMITS.http.BODY_READ_TIMEOUT_MS - 500);
    expect(response.elapsedMs).toBeLessThan(LIMITS.http.BODY_READ_TIMEOUT_MS + 5_000);
  });
});

test.describe("security headers", () => {
  const PAGES = ["/", "/login", "/register", "/account", "/history", "/no-such-page"];

  test("every page: nonce CSP with WASM and no inline script, frame-ancestors 'none', isolation headers", async ({
    page,
    auth,
    account,
  }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await auth.signUp(account);
    await expect(page.getByTestId("home-title")).toBeVisible();
    for (const path of PAGES) {
      const response = await page.goto(path);
      const headers = response?.headers() ?? {};
      const csp = headers["content-security-policy"] ?? "";
      const scriptSrc = csp.split(";").find((directive) => directive.trim().startsWith("script-src")) ?? "";
      expect(scriptSrc, path).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
      expect(scriptSrc, path).toContain("'wasm-unsafe-eval'");
      expect(scriptSrc, path).not.toContain("'unsafe-inline'");
      expect(scriptSrc, path).not.toContain("'unsafe-eval'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
      expect(headers["cross-origin-opener-policy"], path).toBe("same-origin");
      expect(headers["cross-origin-embedder-policy"], path).toBe("require-corp");
      // Every inline script in the HTML carries this response's nonce: nothing else would run.
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      const inline = await page.evaluate(() =>
        [...document.querySelectorAll("script:not([src])")].map(
          (script) => (script as HTMLScriptElement).nonce,
        ),
      );
      expect(
        inline.every((value) => value === nonce),
        path,
      ).toBe(true);
      // WASM threads need cross-origin isolation.
      expect(await page.evaluate(() => window.crossOriginIsolated), path).toBe(true);
    }
    expect(violations).toEqual([]);
    await expectNoAxeViolations(page);
  });

  test("HSTS on HTTPS in production; API responses get the strictest CSP", async ({ request }) => {
    const secure = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(secure.headers()["strict-transport-security"]).toMatch(/max-age=\d{8,}/);
    const api = await request.get("/api/health");
    expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  });
});
