/** The one place errors become responses: every failure leaves as the ApiError JSON body. */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { $ZodError } from "zod/v4/core";
import { ApiError, ERROR_STATUS, type ErrorType, issuesFromZod } from "@/lib/errors";

const TYPE_BY_STATUS = new Map(
  Object.entries(ERROR_STATUS).map(([type, status]) => [status as number, type as ErrorType]),
);

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof $ZodError) {
    return new ApiError("bad_request", "request", "The request is invalid", issuesFromZod(error.issues));
  }
  if (error instanceof HTTPException && error.status < 500) {
    const type = TYPE_BY_STATUS.get(error.status) ?? "bad_request";
    // Hono's own 4xx messages ("Malformed JSON in request body") are safe to show.
    return new ApiError(type, "request", error.message || "The request was refused");
  }
  return new ApiError("internal", "backend", "Something went wrong on the speech backend");
}

function send(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
  return c.json(error.toBody(), error.status as ContentfulStatusCode);
}

export function errorHandler(logger: Logger): ErrorHandler {
  return function onError(error, c) {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      logger.error({ requestId: c.get("requestId"), code: apiError.code, err: error }, "request failed");
    }
    return send(c, apiError);
  };
}

export const notFound: NotFoundHandler = function notFound(c) {
  return send(c, new ApiError("not_found", "route", `No route for ${c.req.method} ${c.req.path}`));
};
