/**
 * Framework-free handler for the model file route: serves exact manifest files whose bytes
 * match the lock, with the pinned hash as a strong ETag so browsers cache them for good.
 */
import { type FileHandle, open } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { ApiError } from "@/lib/errors";
import { ModelIntegrityError } from "@/models/errors";
import { hashStream } from "@/models/hash";
import { MODEL_LOCK } from "@/models/lock";
import { MODEL_MANIFEST } from "@/models/manifest";
import type { ModelEntry, ModelLock } from "@/models/schema";
import { findModelFile, lockedFile } from "@/models/select";

export interface ServeModelFileOptions {
  modelsDir: string;
  lock?: ModelLock;
  manifest?: readonly ModelEntry[];
  /** Told about files that fail verification, so the caller can log them. */
  onIntegrityError?: (error: ModelIntegrityError) => void;
}

export interface ServeModelFileResult {
  status: number;
  headers: Record<string, string>;
  body: ReadableStream<Uint8Array> | null;
}

const IMMUTABLE = "public, max-age=31536000, immutable";
const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".wav": "audio/wav",
};

// Keyed by file path; a changed size or mtime means the file is hashed again before serving.
const verified = new Map<string, { size: number; mtimeMs: number; sha256: string }>();

function errorResult(error: ApiError): ServeModelFileResult {
  const body = new Blob([JSON.stringify(error.toBody())]).stream();
  return {
    status: error.status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body,
  };
}

function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  // RFC 9110 §13.1.2: If-None-Match uses the weak comparison, so W/"x" matches "x".
  return ifNoneMatch.split(",").some((tag) => {
    const value = tag.trim();
    return value === "*" || value.replace(/^W\//, "") === etag;
  });
}

async function digestOf(
  handle: FileHandle,
  fullPath: string,
  size: number,
  mtimeMs: number,
): Promise<string> {
  const cached = verified.get(fullPath);
  if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.sha256;
  const { sha256 } = await hashStream(handle.createReadStream({ start: 0, autoClose: false }));
  verified.set(fullPath, { size, mtimeMs, sha256 });
  return sha256;
}

export async function serveModelFile(
  modelId: string,
  filePath: string,
  requestHeaders: Headers,
  options: ServeModelFileOptions,
): Promise<ServeModelFileResult> {
  const file = findModelFile(modelId, filePath, options.manifest ?? MODEL_MANIFEST);
  if (!file) return errorResult(new ApiError("not_found", "models", "Unknown model file"));
  const label = `${modelId}/${file.path}`;
  const refuse = (reason: string) => {
    options.onIntegrityError?.(new ModelIntegrityError(modelId, file.path, `Model file ${label} ${reason}`));
    return errorResult(new ApiError("unavailable", "models", `Model file ${label} ${reason}`));
  };
  const pin = lockedFile(options.lock ?? MODEL_LOCK, modelId, file.path);
  if (!pin?.sha256) return refuse("is not pinned in models.lock.json");

  const etag = `"${pin.sha256}"`;
  const cacheHeaders = { etag, "cache-control": IMMUTABLE };
  // The ETag is the pinned hash and only bytes with that hash are ever sent, so a match is
  // answered without touching the disk.
  if (etagMatches(requestHeaders.get("if-none-match"), etag)) {
    return { status: 304, headers: cacheHeaders, body: null };
  }

  const fullPath = path.join(options.modelsDir, modelId, ...file.path.split("/"));
  // One handle is hashed and then streamed, so a file swapped in after the check is never sent.
  const handle = await open(fullPath, "r").catch(() => undefined);
  if (!handle) return refuse("is not installed");
  try {
    const { size, mtimeMs } = await handle.stat();
    const sha256 = await digestOf(handle, fullPath, size, mtimeMs);
    if (sha256 !== pin.sha256 || (pin.bytes !== null && size !== pin.bytes)) {
      await handle.close();
      return refuse("does not match models.lock.json");
    }
    const stream = Readable.toWeb(handle.createReadStream({ start: 0 })) as ReadableStream<Uint8Array>;
    const headers = {
      ...cacheHeaders,
      "content-type": CONTENT_TYPES[path.extname(file.path)] ?? "application/octet-stream",
      "content-length": String(size),
      "x-content-type-options": "nosniff",
    };
    return { status: 200, headers, body: stream };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
