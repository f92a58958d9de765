/**
 * The proxy's optimistic auth check: pages that need an account redirect to sign-in when no
 * session cookie is present. Handlers and pages still call auth() themselves (the authority).
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
const PROTECTED_PREFIXES = ["/account", "/history", "/admin"];

export function needsSignIn(pathname: string, cookieNames: string[]): boolean {
  const isProtected = PROTECTED_PREFIXES.some(
    (prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
  // Large sessions are split into numbered chunks ("…session-token.0").
  const hasSession = cookieNames.some((name) => SESSION_COOKIES.some((cookie) => name.startsWith(cookie)));
  return isProtected && !hasSession;
}
