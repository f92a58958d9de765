/**
 * CSRF protection for cookie-authenticated writes: a browser attaches the session cookie to a
 * form posted from any site, so a write that carries a cookie must come from our own origin.
 * The Origin header says where (browsers send it on every cross-origin and every POST request);
 * Sec-Fetch-Site is the fallback. Requests without cookies (API keys, curl) are not at risk.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CsrfRequest {
  method: string;
  headers: Headers;
  hasCookies: boolean;
}

export function isCrossSiteWrite({ method, headers, hasCookies }: CsrfRequest): boolean {
  if (SAFE_METHODS.has(method.toUpperCase()) || !hasCookies) return false;
  const origin = headers.get("origin");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  if (origin && origin !== "null") {
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  // No usable Origin: trust only the browser's own statement that the request is same-origin.
  const site = headers.get("sec-fetch-site");
  return site !== null ? site !== "same-origin" && site !== "none" : origin === "null";
}
