/**
 * Request-line and header hygiene at the web server, for input Next itself cannot survive: a
 * path whose percent-encoding does not decode (Next answers it with a bare 500) and an
 * X-Forwarded-Host that is not a host (Next builds request URLs from it and throws). The first
 * is refused with 400; the second is dropped, and so is any X-Forwarded-Host when no proxy is
 * trusted (TRUST_PROXY_HOPS=0), because then only the client can have written it.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "@/lib/errors";

/** Answers the request with an ApiError's JSON and closes the connection (the body is never read). */
export function refuseRequest(request: IncomingMessage, response: ServerResponse, error: ApiError): void {
  response.writeHead(error.status, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    connection: "close",
  });
  response.end(JSON.stringify(error.toBody()), () => request.destroy());
}

// A DNS name or IPv4 address, or a bracketed IPv6 address, with an optional port.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function sanitizeForwardedHeaders(headers: IncomingHttpHeaders, trustedHops: number): void {
  const host = headers["x-forwarded-host"];
  if (host !== undefined && (trustedHops === 0 || typeof host !== "string" || !HOST.test(host))) {
    delete headers["x-forwarded-host"];
  }
  const proto = headers["x-forwarded-proto"];
  if (proto !== undefined && proto !== "http" && proto !== "https") delete headers["x-forwarded-proto"];
}

/** True when every percent-escape in the path decodes to UTF-8. */
export function pathDecodes(url: string | undefined): boolean {
  const path = (url ?? "/").split(/[?#]/, 1)[0] ?? "/";
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Returns false when it has answered the request itself. */
export function guardRequestLine(
  request: IncomingMessage,
  response: ServerResponse,
  trustedHops: number,
): boolean {
  sanitizeForwardedHeaders(request.headers, trustedHops);
  if (pathDecodes(request.url)) return true;
  refuseRequest(
    request,
    response,
    new ApiError("bad_request", "url", "The request path is not valid percent-encoded UTF-8"),
  );
  return false;
}
