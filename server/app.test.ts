import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { loadConfig } from "@/lib/node/config";
import { backendHealthSchema, backendPingSchema } from "@/lib/schemas/backend";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";
import { createTestApp } from "@/server/app";
import { MODEL_MIRROR_DIR } from "@/test/mirror";

const SECRET = "s".repeat(64);
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-backend-"));
// A real installed model, so health reports "available" only for files with their pinned sizes.
cpSync(path.join(MODEL_MIRROR_DIR, "silero-vad"), path.join(dataDir, "models", "silero-vad"), {
  recursive: true,
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const config = loadConfig({
  DATA_DIR: dataDir,
  AUTH_SECRET: "x".repeat(64),
  BACKEND_SECRET: SECRET,
  MODELS: "silero-vad,whisper-base",
});
const logLines: string[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);
const app = createTestApp({ config, logger });
app.get("/internal/boom", () => {
  throw new Error("disk /secret/path exploded");
});

interface SignedOptions {
  method?: string;
  body?: string;
  secret?: string;
  timestampSeconds?: number;
  nonce?: string;
  headers?: Record<string, string>;
}

async function signed(pathWithQuery: string, options: SignedOptions = {}) {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const signature = await signRequest({
    secret: options.secret ?? SECRET,
    method,
    pathWithQuery,
    body: options.body ?? "",
    timestampSeconds: options.timestampSeconds ?? nowInSeconds(),
    nonce: options.nonce ?? createNonce(),
  });
  const headers = { ...signature, "content-type": "application/json", ...options.headers };
  return app.request(pathWithQuery, { method, body: options.body, headers });
}

async function expectRefused(response: Response, message: RegExp) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toBe("Parla-HMAC");
  const body = await response.json();
  expect(body.error.code).toBe("unauthorized:signature");
  expect(body.error.message).toMatch(message);
}

describe("GET /health", () => {
  it("is open and lists the configured models with their status", async () => {
    const response = await app.request("/health");
    expect(response.status).toBe(200);
    const health = backendHealthSchema.parse(await response.json());
    expect(health.models).toEqual([
      { id: "silero-vad", status: "available" },
      { id: "whisper-base", status: "missing" },
    ]);
    // WHISPER_MODEL is unset and no Whisper is installed: health says what to run.
    expect(health.whisper).toEqual({
      status: "missing",
      model: null,
      message: expect.stringContaining("run `npm run models -- whisper-base`"),
    });
  });

  it("generates a request id, or echoes a well-formed one", async () => {
    expect((await app.request("/health")).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await app.request("/health", { headers: { "x-request-id": "trace-123" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-123");
  });
});

describe("service auth", () => {
  it.each([
    ["GET", "/internal/ping"],
    ["GET", "/no/such/route"],
    ["POST", "/health"],
  ])("refuses an unsigned %s %s, route or not", async (method, route) => {
    await expectRefused(await app.request(route, { method }), /signed requests only/);
  });

  it("refuses a wrong secret, a stale or future timestamp, and a replay", async () => {
    await expectRefused(await signed("/internal/ping", { secret: "w".repeat(64) }), /does not match/);
    // Well past the window: a bare +1 was accepted when the clock ticked a second between
    // signing and checking (now+61 is then exactly 60 seconds ahead, inside the window).
    const skew = LIMITS.backendLink.SIGNATURE_WINDOW_SECONDS + 30;
    await expectRefused(
      await signed("/internal/ping", { timestampSeconds: nowInSeconds() - skew }),
      /window/,
    );
    await expectRefused(
      await signed("/internal/ping", { timestampSeconds: nowInSeconds() + skew }),
      /window/,
    );
    const nonce = createNonce();
    expect((await signed("/internal/ping", { nonce })).status).toBe(200);
    await expectRefused(await signed("/internal/ping", { nonce }), /already used/);
  });

  it("accepts a valid signature", async () => {
    const response = await signed("/internal/ping");
    expect(response.status).toBe(200);
    expect(backendPingSchema.parse(await response.json()).ok).toBe(true);
  });

  it("hashes the exact bytes received", async () => {
    const body = '{ "n" : 7, "note": "ça 🎙" }';
    const response = await signed("/internal/echo-size", { body });
    expect(await response.json()).toEqual({ n: 7, bytes: new TextEncoder().encode(body).byteLength });
    const tampered = await signRequest({
      secret: SECRET,
      method: "POST",
      pathWithQuery: "/internal/echo-size",
      body,
      timestampSeconds: nowInSeconds(),
      nonce: createNonce(),
    });
    const sent = await app.request("/internal/echo-size", {
      method: "POST",
      body: `${body} `,
      headers: tampered,
    });
    await expectRefused(sent, /does not match/);
  });
});

describe("errors", () => {
  it("answers a signed unknown route with 404 JSON", async () => {
    const response = await signed("/v1/nothing-here");
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_found:route");
  });

  it.each([
    ["streamed", {}],
    ["with Content-Length", { "content-length": String(LIMITS.backendLink.MAX_BODY_BYTES + 1) }],
  ])("refuses a body over the limit with 413 JSON (%s)", async (_how, headers) => {
    const body = `{"n":1,"pad":"${"x".repeat(LIMITS.backendLink.MAX_BODY_BYTES)}"}`;
    const response = await signed("/internal/echo-size", { body, headers });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("payload_too_large:body");
  });

  it("names the invalid field with 400", async () => {
    const response = await signed("/internal/echo-size", { body: '{"n":"seven"}' });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("bad_request:body");
    expect(error.message).toContain("n");
    expect(error.issues).toEqual([{ path: "n", message: expect.any(String) }]);
  });

  it("refuses malformed JSON with 400", async () => {
    const response = await signed("/internal/echo-size", { body: '{"n":' });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      code: "bad_request:request",
      message: "Malformed JSON in request body",
      type: "invalid_request_error",
      param: null,
    });
  });

  it("hides unknown errors behind a generic 500 and logs them with the request id", async () => {
    const response = await signed("/internal/boom");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/secret|exploded|at /);
    expect(JSON.parse(text).error.code).toBe("internal:backend");
    const requestId = response.headers.get("x-request-id");
    expect(logLines.some((line) => line.includes("request failed") && line.includes(String(requestId)))).toBe(
      true,
    );
  });
});

describe("request log", () => {
  it("records id, method, route pattern, status and duration, but no query or body", async () => {
    logLines.length = 0;
    const response = await signed("/internal/echo-size?text=private-words", {
      body: '{"n":1,"t":"private-body"}',
    });
    expect(response.status).toBe(200);
    const entry = JSON.parse(logLines.find((line) => line.includes('"msg":"request"')) ?? "{}");
    expect(entry).toMatchObject({
      requestId: response.headers.get("x-request-id"),
      method: "POST",
      route: "/internal/echo-size",
      status: 200,
      durationMs: expect.any(Number),
    });
    expect(logLines.join("")).not.toMatch(/private-|x-parla-signature/);
  });
});
