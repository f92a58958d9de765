/**
 * A POST of a form to anything but a route handler is a possible Server Action, and Next parses its body as FormData
 * without catching a parse failure: a malformed form gets a bare 500. Such bodies are small
 * (Next caps Server Action bodies at 1 MB), so the web server reads them first, answers 400 when
 * they do not parse, and hands Next the same bytes otherwise.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { refuseRequest } from "./request-guard";

/** Next's own limit for a Server Action body. */
const MAX_FORM_BYTES = 1024 * 1024;
const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** Route handlers read their own bodies (uploads are far larger than a form); all else is a page. */
function isPageFormPost(request: IncomingMessage, routeHandlers: readonly RegExp[]): boolean {
  if (request.method !== "POST" || !FORM_TYPES.test(request.headers["content-type"] ?? "")) return false;
  // As the router will see it: "/api/jobs/%2e%2e/share" is "/api/share", which no handler serves.
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  return !routeHandlers.some((pattern) => pattern.test(path));
}

async function readAll(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  const deadline = AbortSignal.timeout(LIMITS.http.BODY_READ_TIMEOUT_MS);
  for await (const chunk of request.iterator({ destroyOnReturn: false })) {
    if (deadline.aborted) return undefined;
    total += (chunk as Buffer).byteLength;
    if (total > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Makes `request` read as `body` from the start, as Next itself does when it replaces a body. */
function replaceBody(request: IncomingMessage, body: Buffer): void {
  const replacement = Readable.from([body]);
  for (const key in replacement) {
    const value = (replacement as unknown as Record<string, unknown>)[key];
    (request as unknown as Record<string, unknown>)[key] =
      typeof value === "function" ? value.bind(replacement) : value;
  }
  // for…in skips symbols: async iteration must read the replacement too.
  Object.assign(request, { [Symbol.asyncIterator]: replacement[Symbol.asyncIterator].bind(replacement) });
}

/** Resolves false when it has answered the request itself. */
export async function guardFormPost(
  request: IncomingMessage,
  response: ServerResponse,
  routeHandlers: readonly RegExp[],
): Promise<boolean> {
  if (!isPageFormPost(request, routeHandlers)) return true;
  // A body the body guard cut off (408) ends the read with an error: that request is answered.
  const body = await readAll(request).catch(() => null);
  if (body === null) return false;
  const refuse = (message: string) => {
    refuseRequest(request, response, new ApiError("bad_request", "form", message));
    return false;
  };
  if (!body) return refuse(`The form is larger than ${MAX_FORM_BYTES} bytes or arrived too slowly`);
  try {
    await new Response(Uint8Array.from(body), {
      headers: { "content-type": request.headers["content-type"] ?? "" },
    }).formData();
  } catch {
    return refuse("The form data could not be parsed");
  }
  replaceBody(request, body);
  return true;
}
