/**
 * Installs model files into `<modelsDir>/<id>/<path>`: from the mirror folder or the file's URL,
 * through `<path>.part`, checked against the lock, then renamed into place (atomic on one disk).
 */
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LIMITS } from "@/lib/limits";
import { downloadAttempt } from "@/models/download";
import { ModelFetchError, ModelIntegrityError } from "@/models/errors";
import { type FileDigest, hashFile } from "@/models/hash";
import type { ModelEntry, ModelFile, ModelLock } from "@/models/schema";
import { lockedFile } from "@/models/select";

export type FetchSource = "present" | "mirror" | "network";

export type FetchProgressEvent =
  | { kind: "start"; label: string; source: "mirror" | "network" }
  | { kind: "bytes"; label: string; receivedBytes: number; totalBytes: number | undefined }
  | { kind: "note"; label: string; message: string }
  | { kind: "done"; label: string; source: FetchSource; bytes: number }
  | { kind: "failed"; label: string; message: string };

export interface FetchModelsOptions {
  entries: readonly ModelEntry[];
  lock: ModelLock;
  modelsDir: string;
  mirrorDir?: string;
  /** "lock" accepts unpinned files (and, with `force`, changed ones) and reports their digests. */
  mode?: "install" | "lock";
  force?: boolean;
  fetchImpl?: typeof fetch;
  stallTimeoutMs?: number;
  maxAttempts?: number;
  retryDelayMs?: number;
  onProgress?: (event: FetchProgressEvent) => void;
}

export interface FetchedFile extends FileDigest {
  modelId: string;
  path: string;
  source: FetchSource;
}

export interface FetchModelsResult {
  files: FetchedFile[];
  failures: { modelId: string; path: string; error: Error }[];
}

interface Expected {
  sha256: string | undefined;
  bytes: number | undefined;
}

function expectationFor(entry: ModelEntry, file: ModelFile, options: FetchModelsOptions): Expected {
  const pin = lockedFile(options.lock, entry.id, file.path);
  const lockMode = options.mode === "lock";
  if (lockMode && (options.force || !pin?.sha256)) return { sha256: undefined, bytes: file.bytes };
  if (!pin?.sha256) {
    throw new ModelIntegrityError(
      entry.id,
      file.path,
      `${entry.id}/${file.path} is not pinned in models.lock.json; pin it with ` +
        `\`npm run models -- lock ${entry.id}\` on a host that can reach its URL`,
    );
  }
  return { sha256: pin.sha256, bytes: pin.bytes ?? file.bytes };
}

function mismatch(digest: FileDigest, expected: Expected): string | undefined {
  if (expected.bytes !== undefined && digest.bytes !== expected.bytes) {
    return `size ${digest.bytes} B, expected ${expected.bytes} B`;
  }
  if (expected.sha256 && digest.sha256 !== expected.sha256) {
    return `sha256 ${digest.sha256}, expected ${expected.sha256}`;
  }
  return undefined;
}

async function installedDigest(finalPath: string, expected: Expected): Promise<FileDigest | undefined> {
  const size = await stat(finalPath).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined || !expected.sha256) return undefined;
  if (expected.bytes !== undefined && size !== expected.bytes) return { sha256: "", bytes: size };
  return hashFile(finalPath);
}

async function download(
  url: string,
  partPath: string,
  label: string,
  expected: Expected,
  o: FetchModelsOptions,
) {
  const maxAttempts = o.maxAttempts ?? LIMITS.models.DOWNLOAD_MAX_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await downloadAttempt({
        url,
        partPath,
        expectedBytes: expected.bytes,
        fetchImpl: o.fetchImpl ?? fetch,
        stallTimeoutMs: o.stallTimeoutMs ?? LIMITS.models.DOWNLOAD_STALL_TIMEOUT_MS,
        onBytes: (receivedBytes, totalBytes) =>
          o.onProgress?.({ kind: "bytes", label, receivedBytes, totalBytes }),
        onNote: (message) => o.onProgress?.({ kind: "note", label, message }),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const retryable = error instanceof ModelFetchError && error.retryable;
      if (!retryable || attempt >= maxAttempts) {
        throw new ModelFetchError(`${label}: download failed after ${attempt} attempt(s): ${reason}`, false);
      }
      o.onProgress?.({ kind: "note", label, message: `attempt ${attempt} failed (${reason}); retrying` });
      await sleep(o.retryDelayMs ?? LIMITS.models.DOWNLOAD_RETRY_DELAY_MS);
    }
  }
}

/** Installs one file, or leaves a verified copy alone; throws an error naming the file. */
export async function fetchModelFile(entry: ModelEntry, file: ModelFile, o: FetchModelsOptions) {
  const label = `${entry.id}/${file.path}`;
  const expected = expectationFor(entry, file, o);
  const finalPath = path.join(o.modelsDir, entry.id, ...file.path.split("/"));
  const present = await installedDigest(finalPath, expected);
  if (present && !mismatch(present, expected)) return { ...present, source: "present" as const };
  if (present)
    o.onProgress?.({ kind: "note", label, message: "installed copy does not match the lock; replacing it" });

  await mkdir(path.dirname(finalPath), { recursive: true });
  const partPath = `${finalPath}.part`;
  const mirrored =
    o.mirrorDir && file.mirrorPath ? path.join(o.mirrorDir, ...file.mirrorPath.split("/")) : undefined;
  let source: "mirror" | "network";
  if (
    mirrored &&
    (await stat(mirrored).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    source = "mirror";
    o.onProgress?.({ kind: "start", label, source });
    await copyFile(mirrored, partPath);
  } else if (file.url) {
    source = "network";
    if (mirrored) o.onProgress?.({ kind: "note", label, message: "not in the mirror; downloading" });
    o.onProgress?.({ kind: "start", label, source });
    await download(file.url, partPath, label, expected, o);
  } else {
    const where = o.mirrorDir ? `it is not in ${o.mirrorDir}` : "MODEL_MIRROR_DIR is not set";
    throw new ModelFetchError(`${label} is mirror-only (no public URL) and ${where}`, false);
  }

  const digest = await hashFile(partPath);
  const problem = mismatch(digest, expected);
  if (problem) {
    await rm(partPath, { force: true });
    throw new ModelIntegrityError(
      entry.id,
      file.path,
      `${label} failed verification (${problem}); discarded`,
    );
  }
  await rename(partPath, finalPath);
  return { ...digest, source };
}

export async function fetchModels(options: FetchModelsOptions): Promise<FetchModelsResult> {
  const result: FetchModelsResult = { files: [], failures: [] };
  for (const entry of options.entries) {
    for (const file of entry.files) {
      const label = `${entry.id}/${file.path}`;
      try {
        const fetched = await fetchModelFile(entry, file, options);
        result.files.push({ modelId: entry.id, path: file.path, ...fetched });
        options.onProgress?.({ kind: "done", label, source: fetched.source, bytes: fetched.bytes });
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        result.failures.push({ modelId: entry.id, path: file.path, error: failure });
        options.onProgress?.({ kind: "failed", label, message: failure.message });
      }
    }
  }
  return result;
}
