/**
 * Every API route handler runs inside `apiRoute`: an ApiError becomes its JSON body, status and
 * headers; anything else is logged with a request id and answered with a generic 500, so no
 * stack trace or internal message ever reaches a client.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { $ZodError } from "zod/v4/core";
import { errorResponse } from "@/app/_server/http/error-response";
import { resolvedCaller } from "@/app/_server/http/require-user";
import { recordStrike } from "@/app/_server/perimeter/abuse";
import { withInFlightLimit } from "@/app/_server/perimeter/rate-limit";
import { ApiError, issuesFromZod } from "@/lib/errors";
import { getConfig } from "@/lib/node/config";
import { createLogger } from "@/lib/node/logger";

let logger: Logger | undefined;
export function webLogger(): Logger {
  logger ??= createLogger({ name: "parla-web", level: getConfig().logLevel });
  return logger;
}

/**
 * Also the in-flight cap (past LIMITS.rateLimit.MAX_IN_FLIGHT_REQUESTS a request gets 503 at
 * once), and the abuse count: every 429 and validation refusal is a strike against the caller.
 */
export function apiRoute<A extends unknown[]>(handler: (request: Request, ...rest: A) => Promise<Response>) {
  return withInFlightLimit(async (request: Request, ...rest: A): Promise<Response> => {
    const response = await answer(request, ...rest);
    const caller = resolvedCaller(request);
    await recordStrike(
      request,
      response.status,
      { userId: caller?.id, apiKeyId: caller?.apiKeyId },
      (error) =>
        webLogger().error({ route: new URL(request.url).pathname, err: error }, "abuse strike not counted"),
    );
    return response;
  });

  async function answer(request: Request, ...rest: A): Promise<Response> {
    try {
      return await handler(request, ...rest);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      if (error instanceof $ZodError) {
        return errorResponse(
          new ApiError("bad_request", "request", "The request is invalid", issuesFromZod(error.issues)),
        );
      }
      const requestId = randomUUID();
      webLogger().error({ requestId, route: new URL(request.url).pathname, err: error }, "route failed");
      return errorResponse(new ApiError("internal", "web", `Something went wrong (reference ${requestId})`));
    }
  }
}
