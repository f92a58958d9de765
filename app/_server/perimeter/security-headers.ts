/**
 * Security headers for every response. Pages get a per-request nonce CSP: scripts run only
 * from this origin or with the nonce (no inline script), WASM may compile ('wasm-unsafe-eval'
 * is what onnxruntime-web needs), workers come from self or blob:, nothing may frame us.
 * COOP/COEP make the page cross-origin isolated, which WASM threads (SharedArrayBuffer) need.
 */

export interface SecurityHeaderOptions {
  nonce: string;
  /** `next dev`: React needs eval to rebuild error stacks. */
  isDevelopment: boolean;
  /** HSTS and upgrade-insecure-requests only mean something on an HTTPS origin. */
  isHttps: boolean;
  /** API responses never render HTML, so they get the tightest policy. */
  kind: "page" | "api";
}

export function contentSecurityPolicy({
  nonce,
  isDevelopment,
  isHttps,
  kind,
}: SecurityHeaderOptions): string {
  if (kind === "api")
    return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Style attributes (progress bar widths) cannot run code.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(options),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(self), payment=()",
    ...(options.isHttps ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Share pages hold someone's private result: the token must not leak through Referer, search
 * engines must not list it, and no cache may keep it after the link is revoked.
 */
export function sharedResultHeaders(pathname: string): Record<string, string> {
  if (!pathname.startsWith("/r/")) return {};
  return {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
  };
}
