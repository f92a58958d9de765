/**
 * HMAC-SHA256 signatures on every call from the Next app to the backend. WebCrypto only, so the
 * same module signs in the Next server and verifies in the Hono process.
 */
import { LIMITS } from "@/lib/limits";

export const SIGNATURE_HEADERS = {
  timestamp: "x-parla-timestamp",
  nonce: "x-parla-nonce",
  signature: "x-parla-signature",
} as const;

/** The scheme a 401 from the backend names in `WWW-Authenticate`. */
export const SIGNATURE_SCHEME = "Parla-HMAC";

// Versioned so a later canonical form can never be confused with this one.
const CANONICAL_PREFIX = "PARLA-HMAC-SHA256";
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

export type SignatureHeaderValues = Record<
  (typeof SIGNATURE_HEADERS)[keyof typeof SIGNATURE_HEADERS],
  string
>;

export interface SignRequestInput {
  secret: string;
  method: string;
  /** Path plus query exactly as sent, e.g. `/v1/tts?voice=a`. */
  pathWithQuery: string;
  /** The exact bytes sent (a string is signed as UTF-8). */
  body: Uint8Array | string;
  timestampSeconds: number;
  nonce: string;
}

export type SignatureFailure = "missing" | "malformed" | "expired" | "bad_signature";

export type SignatureCheckResult =
  | { ok: true; timestampSeconds: number; nonce: string; signature: string }
  | { ok: false; reason: SignatureFailure };

export interface VerifyRequestSignatureInput extends Omit<SignRequestInput, "timestampSeconds" | "nonce"> {
  headers: Pick<Headers, "get">;
  nowSeconds?: number;
  windowSeconds?: number;
}

const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function toBytes(body: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return typeof body === "string" ? encoder.encode(body) : new Uint8Array(body);
}

export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** 128 random bits, hex: unique per request, so the backend can refuse a replay. */
export function createNonce(): string {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(16)).buffer);
}

/** The string that is signed: one field per line, the body represented by its SHA-256. */
export async function canonicalRequest(input: Omit<SignRequestInput, "secret">): Promise<string> {
  const bodyHash = toHex(await globalThis.crypto.subtle.digest("SHA-256", toBytes(input.body)));
  return [
    CANONICAL_PREFIX,
    input.method.toUpperCase(),
    input.pathWithQuery,
    bodyHash,
    String(input.timestampSeconds),
    input.nonce,
  ].join("\n");
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toHex(await globalThis.crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/** Signs one request; send the returned headers with exactly the bytes that were signed. */
export async function signRequest(input: SignRequestInput): Promise<SignatureHeaderValues> {
  if (
    !Number.isSafeInteger(input.timestampSeconds) ||
    !TIMESTAMP_PATTERN.test(String(input.timestampSeconds))
  ) {
    throw new TypeError("timestampSeconds must be a non-negative whole number of seconds");
  }
  if (!NONCE_PATTERN.test(input.nonce))
    throw new TypeError("nonce must be 16–128 characters of [A-Za-z0-9_-]");
  const { secret, ...rest } = input;
  return {
    [SIGNATURE_HEADERS.timestamp]: String(input.timestampSeconds),
    [SIGNATURE_HEADERS.nonce]: input.nonce,
    [SIGNATURE_HEADERS.signature]: await hmacHex(secret, await canonicalRequest(rest)),
  };
}

/**
 * The cheap part of verification (presence, shape, clock window), so a server can refuse a
 * request before reading its body.
 */
export function checkSignatureHeaders(
  headers: Pick<Headers, "get">,
  {
    nowSeconds = nowInSeconds(),
    windowSeconds = LIMITS.backendLink.SIGNATURE_WINDOW_SECONDS,
  }: { nowSeconds?: number; windowSeconds?: number } = {},
): SignatureCheckResult {
  const timestamp = headers.get(SIGNATURE_HEADERS.timestamp);
  const nonce = headers.get(SIGNATURE_HEADERS.nonce);
  const signature = headers.get(SIGNATURE_HEADERS.signature);
  if (!timestamp || !nonce || !signature) return { ok: false, reason: "missing" };
  if (
    !TIMESTAMP_PATTERN.test(timestamp) ||
    !NONCE_PATTERN.test(nonce) ||
    !SIGNATURE_PATTERN.test(signature)
  ) {
    return { ok: false, reason: "malformed" };
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(nowSeconds - timestampSeconds) > windowSeconds) return { ok: false, reason: "expired" };
  return { ok: true, timestampSeconds, nonce, signature };
}

// Both inputs are 64 hex characters here, so only the content could leak, and the loop never exits early.
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}

/** Full verification: headers, clock window, then the HMAC over the exact bytes received. */
export async function verifyRequestSignature(
  input: VerifyRequestSignatureInput,
): Promise<SignatureCheckResult> {
  const checked = checkSignatureHeaders(input.headers, input);
  if (!checked.ok) return checked;
  const expected = await hmacHex(
    input.secret,
    await canonicalRequest({ ...input, timestampSeconds: checked.timestampSeconds, nonce: checked.nonce }),
  );
  return constantTimeEqual(expected, checked.signature) ? checked : { ok: false, reason: "bad_signature" };
}
