/**
 * One HTTP download attempt into `<file>.part`, resuming with a Range request when the part
 * file already holds bytes. Errors say whether a further attempt can help.
 */
import { open, rm, stat } from "node:fs/promises";
import { ModelFetchError } from "@/models/errors";

export interface DownloadAttemptOptions {
  url: string;
  partPath: string;
  /** Size the finished file must have, when known: lets a complete part file skip the request. */
  expectedBytes?: number;
  fetchImpl: typeof fetch;
  stallTimeoutMs: number;
  onBytes?: (receivedBytes: number, totalBytes: number | undefined) => void;
  onNote?: (message: string) => void;
}

async function sizeOf(filePath: string): Promise<number> {
  try {
    return (await stat(filePath)).size;
  } catch {
    return 0;
  }
}

// RFC 9110 §8.3.2 / §14.4: 408, 429 and 5xx are transient; other 4xx will not change on retry.
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function asFetchError(error: unknown, signal: AbortSignal): ModelFetchError {
  if (error instanceof ModelFetchError) return error;
  if (signal.aborted && signal.reason instanceof ModelFetchError) return signal.reason;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return new ModelFetchError(`${error instanceof Error ? error.message : String(error)}${cause}`, true);
}

/** Where the response body starts in the file: 0 for a full body, `start` for a matching 206. */
async function bodyOffset(response: Response, start: number, partPath: string): Promise<number> {
  if (response.status === 200) return 0;
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
  if (match && Number(match[1]) === start) return start;
  await rm(partPath, { force: true });
  throw new ModelFetchError("server answered with a different range than requested; restarting", true);
}

function totalFrom(response: Response, offset: number): number | undefined {
  const range = /\/(\d+)$/.exec(response.headers.get("content-range") ?? "");
  if (range) return Number(range[1]);
  // A decoded body's length differs from Content-Length, so only trust it for identity bodies.
  const length = response.headers.get("content-length");
  return length && !response.headers.get("content-encoding") ? offset + Number(length) : undefined;
}

export async function downloadAttempt(options: DownloadAttemptOptions): Promise<void> {
  const { url, partPath, expectedBytes } = options;
  let start = await sizeOf(partPath);
  if (expectedBytes !== undefined && start === expectedBytes) return;
  if (expectedBytes !== undefined && start > expectedBytes) {
    await rm(partPath, { force: true });
    start = 0;
  }
  if (start > 0) options.onNote?.(`resuming at ${start} bytes`);

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort(new ModelFetchError(`no data for ${options.stallTimeoutMs} ms`, true));
    }, options.stallTimeoutMs);
  };
  arm();
  try {
    const response = await options.fetchImpl(url, {
      headers: start > 0 ? { range: `bytes=${start}-` } : {},
      signal: controller.signal,
      redirect: "follow",
    });
    if (response.status === 416) {
      await response.body?.cancel();
      await rm(partPath, { force: true });
      throw new ModelFetchError("server refused the resume range; restarting", true);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ModelFetchError(`HTTP ${response.status} from ${url}`, isTransientStatus(response.status));
    }
    const offset = await bodyOffset(response, start, partPath);
    if (start > 0 && offset === 0) options.onNote?.("server ignored the range request; restarting");
    const total = totalFrom(response, offset);
    let received = offset;
    const file = await open(partPath, offset === 0 ? "w" : "a");
    try {
      const reader = response.body?.getReader();
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
        arm();
        await file.write(chunk.value);
        received += chunk.value.byteLength;
        options.onBytes?.(received, total);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    if (total !== undefined && received !== total) {
      throw new ModelFetchError(`connection closed after ${received} of ${total} bytes`, true);
    }
  } catch (error) {
    throw asFetchError(error, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
