/**
 * Request-body limits at the web server, before Next sees a byte. Next reads every request body
 * whole before a route handler runs (proxy.ts gets a copy), so a handler's own limits come too
 * late for two attacks: a client that declares a huge body, and one that trickles a body to hold
 * a connection and a buffer open. Here, a declared Content-Length (trusted only without
 * Transfer-Encoding) over the largest body any route accepts is refused at once (413), and a
 * body that has not arrived whole by its deadline is answered 408 and the connection closed.
 * Handlers still count the bytes they read against their own, smaller limits (read-body.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { refuseRequest } from "./request-guard";

export interface BodyGuardLimits {
  /** Largest body outside uploads (the speech request), and its deadline. */
  maxJsonBytes: number;
  jsonTimeoutMs: number;
  /** Largest upload (multipart) of any tier, and its deadline. */
  maxUploadBytes: number;
  uploadTimeoutMs: number;
}

export const BODY_GUARD_LIMITS: BodyGuardLimits = {
  maxJsonBytes: LIMITS.http.SPEECH_MAX_JSON_BYTES,
  jsonTimeoutMs: LIMITS.http.BODY_READ_TIMEOUT_MS,
  maxUploadBytes: LIMITS.stt.PRO_MAX_BYTES + LIMITS.http.MULTIPART_OVERHEAD_BYTES,
  uploadTimeoutMs: LIMITS.http.UPLOAD_READ_TIMEOUT_MS,
};

/** Returns false when it has answered the request itself (the caller must not handle it). */
export function guardRequestBody(
  request: IncomingMessage,
  response: ServerResponse,
  limits: BodyGuardLimits = BODY_GUARD_LIMITS,
): boolean {
  const chunked = request.headers["transfer-encoding"] !== undefined;
  const declared = Number(request.headers["content-length"] ?? 0);
  if (!chunked && !(declared > 0)) return true;
  const upload = /^multipart\//i.test(request.headers["content-type"] ?? "");
  const maxBytes = upload ? limits.maxUploadBytes : limits.maxJsonBytes;
  if (!chunked && declared > maxBytes) {
    refuseRequest(
      request,
      response,
      new ApiError("payload_too_large", "body", `The request body is larger than ${maxBytes} bytes`),
    );
    return false;
  }
  const timeoutMs = upload ? limits.uploadTimeoutMs : limits.jsonTimeoutMs;
  const timer = setTimeout(() => {
    if (request.complete || response.headersSent) return;
    refuseRequest(
      request,
      response,
      new ApiError(
        "request_timeout",
        "body",
        `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s`,
      ),
    );
  }, timeoutMs);
  const done = () => clearTimeout(timer);
  request.once("end", done);
  request.once("close", done);
  response.once("finish", done);
  return true;
}
