/**
 * One log line per request: id, method, route pattern, status and duration. Never bodies,
 * headers or query strings, which can carry user text or credentials.
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { Logger } from "pino";

export function requestLogger(logger: Logger): MiddlewareHandler {
  return async function requestLogger(c, next) {
    const startedAt = performance.now();
    await next();
    // The route pattern (e.g. /jobs/:id), not the raw path; "ALL" entries are middleware.
    const route = matchedRoutes(c).findLast((entry) => entry.method !== "ALL")?.path ?? "(no route)";
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        route,
        status: c.res.status,
        durationMs: Math.round(performance.now() - startedAt),
      },
      "request",
    );
  };
}
