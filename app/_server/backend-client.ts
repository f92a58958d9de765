/**
 * The Next app's only way to reach the backend: every call is signed, time-limited, and every
 * reply is parsed with a zod schema. Backend details are logged here and never sent to users.
 */
import type { Logger } from "pino";
import type { z } from "zod";
import { ApiError, ERROR_STATUS, type ErrorType } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import { createLogger } from "@/lib/node/logger";
import { QuotaExceededError } from "@/lib/quota/quota-meter";
import { backendErrorBodySchema } from "@/lib/schemas/backend";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";

export interface BackendRequestInput<T> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** An absolute path on the backend, query included, e.g. `/internal/ping`. */
  path: string;
  /** Sent as JSON; the signature covers exactly the encoded bytes. */
  body?: unknown;
  schema: z.ZodType<T>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

// Refusals the person can act on; ApiError messages are written to be shown, so these pass on
// (with Retry-After). Anything else becomes a generic "backend unavailable".
const PASS_THROUGH: ReadonlySet<ErrorType> = new Set([
  "bad_request",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "unprocessable",
  "rate_limited",
  "unavailable",
]);
const TYPE_BY_STATUS = new Map(
  Object.entries(ERROR_STATUS).map(([type, status]) => [status as number, type as ErrorType]),
);

let logger: Logger | undefined;
function log(): Logger {
  logger ??= createLogger({ name: "parla-web", level: getConfig().logLevel });
  return logger;
}

function unavailable(message = "The speech backend is not available right now"): ApiError {
  return new ApiError("unavailable", "backend", message);
}

// A refusal's rate-limit headers (a daily quota's, from the backend) reach the person unchanged.
const LIMIT_HEADERS = [
  "RateLimit-Policy",
  "RateLimit",
  "X-RateLimit-Limit",
  "X-RateLimit-Remaining",
  "X-RateLimit-Reset",
];

function passedHeaders(reply: Headers): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  const retryAfter = reply.get("retry-after");
  if (retryAfter && /^\d{1,6}$/.test(retryAfter)) headers["Retry-After"] = retryAfter;
  for (const name of LIMIT_HEADERS) {
    const value = reply.get(name);
    if (value && value.length <= 512) headers[name] = value;
  }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

function replyError(status: number, payload: unknown, route: string, replyHeaders: Headers): ApiError {
  const body = backendErrorBodySchema.safeParse(payload);
  const type = TYPE_BY_STATUS.get(status);
  if (body.success && type && PASS_THROUGH.has(type)) {
    const surface = body.data.error.code.split(":")[1] ?? "backend";
    const headers = passedHeaders(replyHeaders);
    const { message, issues, quota } = body.data.error;
    if (type === "rate_limited" && quota) return new QuotaExceededError(message, quota, headers ?? {});
    return new ApiError(type, surface, message, issues, headers);
  }
  log().error(
    { route, status, code: body.success ? body.data.error.code : undefined },
    "backend refused a call",
  );
  return unavailable();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

interface SignedCall {
  method: BackendRequestInput<unknown>["method"];
  path: string;
  bytes?: Uint8Array<ArrayBuffer>;
  contentType?: string;
  accept: string;
  /** A file's byte range (`Range`), passed on as the browser asked it. */
  range?: string;
  signal: AbortSignal;
}

/** Signs and sends one call; a network failure or timeout becomes ApiError unavailable. */
async function sendSigned({ method, path, bytes, contentType, accept, range, signal }: SignedCall) {
  const config = getConfig();
  // "//host/x" would resolve to another origin and carry a valid signature there.
  if (!path.startsWith("/") || path.startsWith("//"))
    throw new TypeError(`backend path must be absolute: ${path}`);
  const url = new URL(path, config.backend.url);
  const signature = await signRequest({
    secret: config.secrets.backend,
    method,
    pathWithQuery: url.pathname + url.search,
    body: bytes ?? "",
    timestampSeconds: nowInSeconds(),
    nonce: createNonce(),
  });
  try {
    const response = await fetch(url, {
      method,
      headers: {
        ...signature,
        accept,
        ...(bytes ? { "content-type": contentType ?? "application/json" } : {}),
        ...(range ? { range } : {}),
      },
      body: bytes,
      signal,
      redirect: "error",
    });
    return { response, route: url.pathname };
  } catch (error) {
    log().error({ route: url.pathname, err: error }, "backend call failed");
    throw unavailable();
  }
}

export async function backendRequest<T>({
  method,
  path,
  body,
  schema,
  timeoutMs = LIMITS.backendLink.REQUEST_TIMEOUT_MS,
  signal,
}: BackendRequestInput<T>): Promise<T> {
  const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body));
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let route: string;
  let text: string;
  try {
    ({ response, route } = await sendSigned({
      method,
      path,
      bytes,
      accept: "application/json",
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }));
    text = await response.text();
  } catch (error) {
    if (timeout.aborted) throw unavailable("The speech backend did not answer in time");
    // ApiErrors are already safe; a TypeError is a programming error in the caller.
    if (error instanceof ApiError || error instanceof TypeError) throw error;
    throw unavailable();
  }

  const payload = parseJson(text);
  if (!response.ok) throw replyError(response.status, payload, route, response.headers);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    log().error(
      { route, status: response.status, issues: parsed.error.issues.length },
      "backend reply did not parse",
    );
    throw unavailable();
  }
  return parsed.data;
}

/**
 * A call whose reply is streamed back as it is (Server-Sent Events, result files) or whose
 * body is bytes (an upload). Failures still become ApiErrors; a success is returned unread.
 */
export async function backendStream({
  method,
  path,
  body,
  contentType,
  range,
  signal,
}: {
  method: BackendRequestInput<unknown>["method"];
  path: string;
  body?: Uint8Array<ArrayBuffer>;
  contentType?: string;
  range?: string;
  signal?: AbortSignal;
}): Promise<Response> {
  const { response, route } = await sendSigned({
    method,
    path,
    bytes: body,
    contentType,
    accept: "*/*",
    range,
    signal: signal ?? new AbortController().signal,
  });
  if (response.ok) return response;
  const payload = parseJson(await response.text().catch(() => ""));
  throw replyError(response.status, payload, route, response.headers);
}
