/**
 * The edge perimeter: security headers with a CSP nonce on every response, the global rate
 * limit on every API request (optimistic, per client address; handlers enforce their own
 * policies as the authority), CORS for configured origins only, CSRF refusal of cross-site
 * cookie writes, and the sign-in gate.
 */
import { type NextRequest, NextResponse } from "next/server";
import { addressBlock } from "@/app/_server/blocks/blocks";
import { errorResponse } from "@/app/_server/http/error-response";
import { recordStrike } from "@/app/_server/perimeter/abuse";
import { corsDecision } from "@/app/_server/perimeter/cors";
import { isCrossSiteWrite } from "@/app/_server/perimeter/csrf";
import { checkEdgeRateLimit, RateLimitError } from "@/app/_server/perimeter/rate-limit";
import { newNonce, securityHeaders, sharedResultHeaders } from "@/app/_server/perimeter/security-headers";
import { needsSignIn } from "@/app/_server/perimeter/session-gate";
import { ApiError } from "@/lib/errors";
import { getConfig } from "@/lib/node/config";

// NODE_ENV is fixed at build time by Next ("development" only under `next dev`).
// biome-ignore lint/style/noProcessEnv: a build-time constant, not a setting.
const IS_DEVELOPMENT = process.env.NODE_ENV === "development";

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const nonce = newNonce();
  // /v1 is the OpenAI-compatible API: the same perimeter as /api.
  const isApi = pathname.startsWith("/api/") || pathname.startsWith("/v1/");
  const headers = securityHeaders({
    nonce,
    isDevelopment: IS_DEVELOPMENT,
    isHttps: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https",
    kind: isApi ? "api" : "page",
  });
  Object.assign(headers, sharedResultHeaders(pathname));
  const refuse = (error: ApiError) => {
    const refusal = errorResponse(error);
    for (const [name, value] of Object.entries(headers)) refusal.headers.set(name, value);
    return refusal;
  };

  // Blocked addresses and ranges are refused before anything else, on every route.
  const blocked = await addressBlock(request);
  if (blocked) return refuse(blocked);

  // CORS: only CORS_ORIGINS may call the API from a browser; every refusal below carries the
  // allowed origin's headers so its page can read why.
  const cors = isApi
    ? corsDecision({
        method: request.method,
        headers: request.headers,
        allowedOrigins: getConfig().corsOrigins,
      })
    : undefined;
  if (cors) Object.assign(headers, cors.headers);
  if (cors?.kind === "refused") {
    return refuse(new ApiError("forbidden", "cors", "Requests from this origin are not allowed"));
  }

  if (
    isApi &&
    isCrossSiteWrite({
      method: request.method,
      headers: request.headers,
      hasCookies: request.cookies.size > 0,
    })
  ) {
    return refuse(new ApiError("forbidden", "csrf", "This request came from another site and was refused"));
  }

  if (isApi) {
    const decision = await checkEdgeRateLimit(request);
    if (decision.outcome === "limited" || decision.outcome === "unavailable") {
      // An address that keeps hitting the global limit is blocked automatically (per address:
      // nobody is authenticated yet here).
      await recordStrike(request, decision.status, {}, () => undefined);
      return refuse(new RateLimitError(decision));
    }
    // A passed request's headers are the route policy's, set by its handler: Next would let the
    // proxy's override them, and a 429 from the speech policy must not describe the global one.
  }

  // An allowed origin's preflight is answered here (after metering); handlers never see one.
  if (cors?.kind === "allowed" && cors.preflight) return new NextResponse(null, { status: 204, headers });

  if (
    needsSignIn(
      pathname,
      request.cookies.getAll().map((cookie) => cookie.name),
    )
  ) {
    const login = new URL("/login", request.url);
    login.searchParams.set("next", `${pathname}${search}`);
    const redirect = NextResponse.redirect(login);
    for (const [name, value] of Object.entries(headers)) redirect.headers.set(name, value);
    return redirect;
  }

  // Next reads the nonce from the request's CSP header and stamps it on its own scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
