import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import {
  canonicalRequest,
  createNonce,
  SIGNATURE_HEADERS,
  type SignRequestInput,
  signRequest,
  verifyRequestSignature,
} from "@/lib/security/request-signature";

const SECRET = "a".repeat(64);
const NOW = 1_800_000_000;
const WINDOW = LIMITS.backendLink.SIGNATURE_WINDOW_SECONDS;

function request(overrides: Partial<SignRequestInput> = {}): SignRequestInput {
  return {
    secret: SECRET,
    method: "POST",
    pathWithQuery: "/v1/tts?voice=a",
    body: '{"n":1}',
    timestampSeconds: NOW,
    nonce: "0123456789abcdef0123456789abcdef",
    ...overrides,
  };
}

/** Signs `signed`, then verifies it as if `received` arrived at `nowSeconds`. */
async function roundTrip(
  signed: Partial<SignRequestInput> = {},
  received: Partial<SignRequestInput> = {},
  nowSeconds = NOW,
) {
  const headers = new Headers(await signRequest(request(signed)));
  const { timestampSeconds: _t, nonce: _n, ...rest } = request({ ...signed, ...received });
  return verifyRequestSignature({ ...rest, headers, nowSeconds });
}

describe("signRequest / verifyRequestSignature", () => {
  it("round-trips and reports the nonce and timestamp", async () => {
    expect(await roundTrip()).toMatchObject({ ok: true, nonce: request().nonce, timestampSeconds: NOW });
  });

  it("signs strings as UTF-8, so the same text as bytes verifies", async () => {
    const body = '{"text":"ça va? 🎙"}';
    expect((await roundTrip({ body }, { body: new TextEncoder().encode(body) })).ok).toBe(true);
  });

  it("binds every canonical field", async () => {
    const canonical = await canonicalRequest(request());
    expect(canonical.split("\n")).toEqual([
      "PARLA-HMAC-SHA256",
      "POST",
      "/v1/tts?voice=a",
      expect.stringMatching(/^[0-9a-f]{64}$/),
      String(NOW),
      request().nonce,
    ]);
  });

  it.each([
    ["body", { body: '{"n":2}' }],
    ["path", { pathWithQuery: "/v1/tts?voice=b" }],
    ["method", { method: "PUT" }],
    ["secret", { secret: "b".repeat(64) }],
  ] as const)("refuses a tampered %s", async (_field, received) => {
    expect(await roundTrip({}, received)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("accepts the edges of the window and refuses one second beyond, either side", async () => {
    expect((await roundTrip({}, {}, NOW + WINDOW)).ok).toBe(true);
    expect((await roundTrip({}, {}, NOW - WINDOW)).ok).toBe(true);
    expect(await roundTrip({}, {}, NOW + WINDOW + 1)).toEqual({ ok: false, reason: "expired" });
    expect(await roundTrip({}, {}, NOW - WINDOW - 1)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses missing headers", async () => {
    const signed = await signRequest(request());
    for (const name of Object.values(SIGNATURE_HEADERS)) {
      const headers = new Headers(signed);
      headers.delete(name);
      const { timestampSeconds: _t, nonce: _n, ...rest } = request();
      expect(await verifyRequestSignature({ ...rest, headers, nowSeconds: NOW })).toEqual({
        ok: false,
        reason: "missing",
      });
    }
  });

  it.each([
    [SIGNATURE_HEADERS.timestamp, "-5"],
    [SIGNATURE_HEADERS.timestamp, "1e9"],
    [SIGNATURE_HEADERS.nonce, "short"],
    [SIGNATURE_HEADERS.nonce, "spaces and punctuation!"],
    [SIGNATURE_HEADERS.signature, "F".repeat(64)],
    [SIGNATURE_HEADERS.signature, "abc"],
  ])("refuses a malformed %s (%j)", async (name, value) => {
    const headers = new Headers(await signRequest(request()));
    headers.set(name, value);
    const { timestampSeconds: _t, nonce: _n, ...rest } = request();
    expect(await verifyRequestSignature({ ...rest, headers, nowSeconds: NOW })).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("will not sign with a nonce that could break the canonical string", async () => {
    await expect(signRequest(request({ nonce: "abc\ndef0123456789abc" }))).rejects.toThrow(TypeError);
    await expect(signRequest(request({ timestampSeconds: 1.5 }))).rejects.toThrow(TypeError);
  });

  it("creates distinct well-formed nonces", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
  });
});
