/**
 * CORS for /api and /v1: only the origins in CORS_ORIGINS may call from a browser (default none:
 * same origin only). A cross-origin request from any other origin is refused before it reaches
 * a handler, so it has no effect even where the browser would only have hidden the reply.
 * Credentials (cookies) are never allowed cross-origin: other sites' pages use API keys.
 */

const ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS";
const ALLOWED_HEADERS = "authorization, content-type";
const PREFLIGHT_MAX_AGE_SECONDS = "600";
/** What a page on an allowed origin may read besides the CORS-safelisted response headers. */
const EXPOSED_HEADERS = [
  "RateLimit-Policy",
  "RateLimit",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
  "Retry-After",
  "Content-Disposition",
].join(", ");

export interface CorsRequest {
  method: string;
  headers: Headers;
  allowedOrigins: readonly string[];
}

export type CorsDecision =
  /** No Origin, or our own: nothing to add. */
  | { kind: "same-origin"; headers: Record<string, string> }
  | { kind: "allowed"; preflight: boolean; headers: Record<string, string> }
  | { kind: "refused"; origin: string; headers: Record<string, string> };

/** Our own origin as the browser sees it (the host the request was sent to). */
function isOwnOrigin(origin: string, headers: Headers): boolean {
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function corsDecision({ method, headers, allowedOrigins }: CorsRequest): CorsDecision {
  // Caches must not hand one origin's answer to another.
  const vary = { Vary: "Origin" };
  const origin = headers.get("origin");
  if (origin === null || isOwnOrigin(origin, headers)) return { kind: "same-origin", headers: vary };
  if (!allowedOrigins.includes(origin)) return { kind: "refused", origin, headers: vary };
  const preflight = method.toUpperCase() === "OPTIONS" && headers.has("access-control-request-method");
  const allow = { ...vary, "Access-Control-Allow-Origin": origin };
  if (!preflight)
    return {
      kind: "allowed",
      preflight,
      headers: { ...allow, "Access-Control-Expose-Headers": EXPOSED_HEADERS },
    };
  return {
    kind: "allowed",
    preflight,
    headers: {
      ...allow,
      Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
      "Access-Control-Allow-Methods": ALLOWED_METHODS,
      "Access-Control-Allow-Headers": ALLOWED_HEADERS,
      "Access-Control-Max-Age": PREFLIGHT_MAX_AGE_SECONDS,
    },
  };
}
