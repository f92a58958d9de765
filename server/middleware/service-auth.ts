/**
 * Service-to-service auth: only the Next app, holding BACKEND_SECRET, may call the backend.
 * Runs before routing, so an unsigned caller learns nothing, not even which routes exist.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import {
  checkSignatureHeaders,
  nowInSeconds,
  SIGNATURE_SCHEME,
  type SignatureFailure,
  verifyRequestSignature,
} from "@/lib/security/request-signature";
import type { ReplayStore } from "@/server/middleware/replay-store";

export interface ServiceAuthOptions {
  secret: string;
  replayStore: ReplayStore;
  maxBodyBytes: number;
  /** Routes that take uploads, by path suffix, with their own larger body limit. */
  uploads?: { pathSuffix: string; maxBodyBytes: number };
  windowSeconds?: number;
}

const REFUSALS: Record<SignatureFailure | "replayed", string> = {
  missing: "This service accepts signed requests only",
  malformed: "The request signature headers are malformed",
  expired: "The request signature is outside the allowed clock window",
  bad_signature: "The request signature does not match",
  replayed: "This signed request was already used",
};

function isOpen(c: Context): boolean {
  return (c.req.method === "GET" || c.req.method === "HEAD") && c.req.path === "/health";
}

function refuse(c: Context, reason: keyof typeof REFUSALS): never {
  c.header("WWW-Authenticate", SIGNATURE_SCHEME);
  throw new ApiError("unauthorized", "signature", REFUSALS[reason]);
}

export function serviceAuth({
  secret,
  replayStore,
  maxBodyBytes,
  uploads,
  windowSeconds = LIMITS.backendLink.SIGNATURE_WINDOW_SECONDS,
}: ServiceAuthOptions): MiddlewareHandler {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("payload_too_large", "body", `The request body is larger than ${maxSize} bytes`);
      },
    });
  const limitBody = limiter(maxBodyBytes);
  const limitUpload = uploads ? limiter(uploads.maxBodyBytes) : limitBody;

  return async function serviceAuth(c, next) {
    if (isOpen(c)) return next();
    // Headers and clock first: a stranger's request is refused before its body is read.
    const headers = checkSignatureHeaders(c.req.raw.headers, { windowSeconds });
    if (!headers.ok) refuse(c, headers.reason);

    // The limit wraps the one read of the body, so the hash covers the exact bytes received
    // and handlers later parse the same cached bytes.
    const isUpload =
      uploads !== undefined && c.req.method === "POST" && c.req.path.endsWith(uploads.pathSuffix);
    await (isUpload ? limitUpload : limitBody)(c, async () => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      const url = new URL(c.req.url);
      const result = await verifyRequestSignature({
        secret,
        method: c.req.method,
        pathWithQuery: url.pathname + url.search,
        body,
        headers: c.req.raw.headers,
        windowSeconds,
      });
      if (!result.ok) refuse(c, result.reason);

      // Claimed only after the HMAC checks out, so forged requests cannot fill the store.
      const ttlMs = (result.timestampSeconds + windowSeconds + 1 - nowInSeconds()) * 1000;
      const claim = await replayStore.claim(result.nonce, Math.max(ttlMs, 1000));
      if (claim === "replayed") refuse(c, "replayed");
      if (claim === "full") {
        c.header("Retry-After", "1");
        throw new ApiError("unavailable", "backend", "The backend is busy; try again shortly");
      }
      await next();
    });
  };
}
