/**
 * Fetches a model or runtime file for the preview worker: from Cache Storage when a copy with
 * this SHA-256 is there, else from the app with byte progress, checked against the pinned
 * SHA-256 before it is used or cached. The cache key is the hash, so a new model version is a
 * new entry and a cached file is never served for different bytes.
 */
import type { PreviewFile } from "@/lib/schemas/tts-preview";

export const MODEL_CACHE_NAME = "parla-models-v1";

export class IntegrityError extends Error {
  constructor(url: string) {
    super(`${url} did not match its pinned SHA-256; it was not used`);
    this.name = "IntegrityError";
  }
}

export class DownloadError extends Error {
  constructor(url: string, status: number) {
    super(`${url} could not be downloaded (HTTP ${status})`);
    this.name = "DownloadError";
  }
}

export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedError";
  }
}

export interface FetchedFile {
  bytes: Uint8Array<ArrayBuffer>;
  fromCache: boolean;
}

export type ProgressListener = (loaded: number, total: number, fromCache: boolean) => void;

function cacheKey(sha256: string): string {
  return new URL(`/__parla-model-cache/sha256/${sha256}`, self.location.origin).href;
}

async function openCache(): Promise<Cache | undefined> {
  // Cache Storage exists only in secure contexts (HTTPS, localhost); elsewhere nothing is kept.
  if (typeof caches === "undefined") return undefined;
  return caches.open(MODEL_CACHE_NAME).catch(() => undefined);
}

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function download(file: PreviewFile, onProgress: ProgressListener): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(file.url, { credentials: "same-origin" });
  if (!response.ok || !response.body) throw new DownloadError(file.url, response.status);
  const bytes = new Uint8Array(file.bytes);
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > file.bytes) {
      await reader.cancel();
      throw new IntegrityError(file.url);
    }
    bytes.set(value, loaded);
    loaded += value.byteLength;
    onProgress(loaded, file.bytes, false);
  }
  if (loaded !== file.bytes) throw new IntegrityError(file.url);
  return bytes;
}

export async function fetchVerified(file: PreviewFile, onProgress: ProgressListener): Promise<FetchedFile> {
  if (!globalThis.crypto?.subtle) {
    throw new UnsupportedError("Previews need a secure connection (HTTPS or localhost) to verify the model");
  }
  const cache = await openCache();
  const key = cacheKey(file.sha256);
  const cached = await cache?.match(key);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    if (bytes.byteLength === file.bytes) {
      onProgress(bytes.byteLength, file.bytes, true);
      return { bytes, fromCache: true };
    }
    await cache?.delete(key);
  }
  const bytes = await download(file, onProgress);
  if ((await sha256Hex(bytes)) !== file.sha256) throw new IntegrityError(file.url);
  await cache
    ?.put(key, new Response(bytes, { headers: { "content-type": "application/octet-stream" } }))
    .catch(() => undefined); // a full quota means no cache, not a failed preview
  return { bytes, fromCache: false };
}

/** Drops cached files whose hash the current configuration no longer names (an older model). */
export async function pruneCache(keep: readonly string[]): Promise<void> {
  const cache = await openCache();
  if (!cache) return;
  const wanted = new Set(keep.map(cacheKey));
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
}
