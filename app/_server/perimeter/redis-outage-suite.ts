/**
 * The real request path with the rate-limit store down, run by one test file per kind of outage
 * (each in its own process: the settings and the limiter are per process). Every request goes
 * through `proxy()` and then, where the proxy hands it on, the route's own exported handler, as
 * Next does: fail-closed policies answer 503 in the one error shape with Retry-After, fail-open
 * ones let the request through, nothing hangs past the store timeout, and no store error reaches
 * a body.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { createUser } from "@/app/_server/db/queries/users";
import { LIMITS } from "@/lib/limits";
import { loadConfig } from "@/lib/node/config";
import { openDatabase } from "@/lib/node/db/connect";
import { installFromMirror } from "@/test/install-models";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { freePort } from "@/test/ports";

type Handler = (request: NextRequest) => Promise<Response>;

/** The proxy and a handler for one request. Past the store timeout twice (edge, then route), it hangs. */
const PATH_BOUND_MS = LIMITS.rateLimit.STORE_TIMEOUT_MS * 2 + 1_500;

// Anything a store failure could put in a body: the client's words, the address, a stack.
const LEAK = /redis|ECONNREFUSED|ETIMEDOUT|ECONNRESET|StoreUnavailable|timed? ?out|127\.0\.0\.1|\n\s+at /i;

const EMAIL = "outage@example.com";
const PASSWORD = "correct horse battery staple";

export function describeRedisOutage(label: string, redisUrl: () => Promise<string>): void {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parla-redis-outage-"));
  const env = { DATA_DIR: dataDir, AUTH_SECRET: "a".repeat(64), BACKEND_SECRET: "k".repeat(64) };
  let key: string;
  let proxy: (request: NextRequest) => Promise<Response>;
  let client = 0;

  /**
   * As Next runs it: the proxy first; the handler only when the proxy hands the request on, and
   * then the proxy's headers (CSP and the rest) laid over the handler's reply.
   */
  async function through(request: NextRequest, handler: Handler) {
    const started = performance.now();
    const edge = await proxy(request);
    const passed = edge.headers.get("x-middleware-next") === "1";
    const reply = passed ? await handler(request) : edge;
    const bytes = Buffer.from(await reply.arrayBuffer());
    const headers = new Headers(reply.headers);
    if (passed) {
      for (const [name, value] of edge.headers) {
        if (!name.startsWith("x-middleware-")) headers.set(name, value);
      }
    }
    const response = new Response(null, { status: reply.status, headers });
    return { response, bytes, body: bytes.toString("utf8"), ms: performance.now() - started };
  }

  /** Each request from its own address, so no test spends another's edge allowance. */
  function request(url: string, init: ConstructorParameters<typeof NextRequest>[1] = {}) {
    const headers = new Headers(init.headers);
    headers.set("host", "localhost");
    headers.set("x-forwarded-for", `192.0.2.${++client}`);
    return new NextRequest(`http://localhost${url}`, { ...init, headers });
  }

  function expectRefusedClosed(
    result: Awaited<ReturnType<typeof through>>,
    policy: "speech" | "transcription" | "translation",
  ) {
    expect(result.response.status).toBe(503);
    expect(result.response.headers.get("Retry-After")).toBe(
      String(LIMITS.rateLimit.UNAVAILABLE_RETRY_AFTER_SECONDS),
    );
    expect(result.response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(JSON.parse(result.body)).toEqual({
      error: {
        code: `unavailable:${policy}`,
        message: "Requests cannot be metered right now; try again shortly",
        type: "server_error",
        param: null,
        limit: policy,
      },
    });
    expect(result.body).not.toMatch(LEAK);
    expect(result.ms).toBeLessThan(PATH_BOUND_MS);
  }

  beforeAll(async () => {
    const url = await redisUrl();
    // The backend is never reached: every request here ends at the perimeter or the handler.
    const stubs = {
      ...env,
      REDIS_URL: url,
      UPSTASH_REDIS_REST_URL: "",
      UPSTASH_REDIS_REST_TOKEN: "",
      BACKEND_URL: `http://127.0.0.1:${await freePort()}`,
    };
    for (const [name, value] of Object.entries(stubs)) vi.stubEnv(name, value);
    const config = loadConfig(env);
    await installFromMirror(config.models.dir, ["silero-vad"]);
    const db = await openDatabase(config.database, { migrate: true });
    const user = await createUser(db, { email: EMAIL, password: PASSWORD });
    ({ key } = await createApiKey(db, { userId: user.id, scopes: ["speech", "transcription"] }));
    await db.close();
    ({ proxy } = await import("@/proxy"));
  });

  afterAll(async () => {
    const { rateLimiter } = await import("@/app/_server/perimeter/rate-limit");
    await (await rateLimiter()).store.close();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe(`Redis ${label}: the real request path`, () => {
    const auth = () => ({ authorization: `Bearer ${key}` });

    // /v1/audio/speech spends the same speech policy as /api/jobs; its module imports
    // "server-only", which only Next's bundler resolves, so it is not called here.
    it("every compute route answers 503 with the one error shape and Retry-After, quickly", async () => {
      const jobs = await import("@/app/api/jobs/route");
      const transcriptions = await import("@/app/v1/audio/transcriptions/route");
      const translations = await import("@/app/v1/audio/translations/route");
      const json = (body: unknown) => ({
        method: "POST",
        headers: { ...auth(), "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const upload = () => {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(64)], { type: "audio/wav" }), "a.wav");
        form.append("model", "whisper-1");
        return { method: "POST", headers: auth(), body: form };
      };

      const job = await through(
        request("/api/jobs", json({ kind: "speech", input: "Hello.", voice: "af_heart", format: "wav" })),
        jobs.POST,
      );
      expectRefusedClosed(job, "speech");
      expectRefusedClosed(await through(request("/api/jobs", upload()), jobs.POST), "transcription");
      expectRefusedClosed(
        await through(request("/v1/audio/transcriptions", upload()), transcriptions.POST),
        "transcription",
      );
      expectRefusedClosed(
        await through(request("/v1/audio/translations", upload()), translations.POST),
        "translation",
      );
    });

    it("sign-in with the right password is refused (fail closed), quickly, and no session is set", async () => {
      const { GET, POST } = await import("@/app/api/auth/[...nextauth]/route");
      const csrf = await GET(request("/api/auth/csrf"));
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const cookie = csrf.headers
        .getSetCookie()
        .map((line) => line.split(";")[0])
        .join("; ");
      const attempt = await through(
        request("/api/auth/callback/credentials", {
          method: "POST",
          headers: {
            cookie,
            origin: "http://localhost",
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ email: EMAIL, password: PASSWORD, csrfToken }),
        }),
        POST,
      );
      expect(attempt.response.status).toBe(302);
      const location = new URL(attempt.response.headers.get("location") ?? "", "http://localhost");
      expect(location.pathname).toBe("/login");
      expect(location.searchParams.get("code")).toBe(
        `unavailable_${LIMITS.rateLimit.UNAVAILABLE_RETRY_AFTER_SECONDS}`,
      );
      expect(attempt.response.headers.getSetCookie().join("\n")).not.toMatch(/session-token/);
      expect(`${location}${attempt.body}`).not.toMatch(LEAK);
      expect(attempt.ms).toBeLessThan(PATH_BOUND_MS);
    });

    it("the global edge limit fails open: a cheap GET goes through, unmetered", async () => {
      const models = await import("@/app/v1/models/route");
      const listed = await through(request("/v1/models", { headers: auth() }), models.GET);
      expect(listed.response.status).toBe(200);
      expect(listed.response.headers.get("RateLimit")).toBeNull();
      expect(listed.response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
      const ids = (JSON.parse(listed.body) as { data: { id: string }[] }).data.map((model) => model.id);
      expect(ids).toContain("tts-1");
      expect(listed.ms).toBeLessThan(PATH_BOUND_MS);
    });

    it("model downloads fail open: the file is served whole", async () => {
      const { GET } = await import("@/app/api/models/[id]/[...path]/route");
      const file = await through(request("/api/models/silero-vad/silero_vad.onnx"), (r) =>
        GET(r, { params: Promise.resolve({ id: "silero-vad", path: ["silero_vad.onnx"] }) }),
      );
      expect(file.response.status).toBe(200);
      const expected = readFileSync(path.join(MODEL_MIRROR_DIR, "silero-vad", "silero_vad.onnx"));
      expect(file.bytes.equals(expected)).toBe(true);
      expect(file.response.headers.get("RateLimit")).toBeNull();
      expect(file.ms).toBeLessThan(PATH_BOUND_MS);
    });
  });
}
