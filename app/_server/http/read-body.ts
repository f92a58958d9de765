/**
 * Request bodies read with a byte limit enforced while reading: Content-Length is trusted only
 * to refuse early, never to allow, because a chunked body carries none and a client can lie.
 */
import type { z } from "zod";
import { ApiError, issuesFromZod } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";

export interface ReadBytesOptions {
  /** The whole body must have arrived by then (a trickling client is cut off with 408). */
  timeoutMs?: number;
}

export async function readBytes(
  request: Request,
  maxBytes: number,
  { timeoutMs = LIMITS.http.BODY_READ_TIMEOUT_MS }: ReadBytesOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = () =>
    new ApiError("payload_too_large", "body", `The request body is larger than ${maxBytes} bytes`);
  const declared = request.headers.get("content-length");
  if (declared && !request.headers.has("transfer-encoding") && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  // One deadline for the whole body, not per chunk: a byte every few seconds must not keep it open.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError(
            "request_timeout",
            "body",
            `The request body did not arrive within ${Math.round(timeoutMs / 1000)} s`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** JSON body → zod-validated value; every failure is a 4xx that says what is wrong. */
export async function readJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  maxBytes: number,
): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("unsupported_media_type", "body", "Send the request body as application/json");
  }
  const bytes = await readBytes(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError("bad_request", "body", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    const fields = [...new Set(issues.map((issue) => issue.path))].join(", ");
    throw new ApiError("bad_request", "body", `Invalid request body: ${fields}`, issues);
  }
  return parsed.data;
}
