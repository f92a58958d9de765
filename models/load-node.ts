/**
 * Node loaders: model files are read only after their bytes match models.lock.json. Every
 * failure is a ModelIntegrityError that names the file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ModelIntegrityError } from "@/models/errors";
import { hashFile, sha256Hex } from "@/models/hash";
import { MODEL_LOCK } from "@/models/lock";
import { MODEL_MANIFEST } from "@/models/manifest";
import type { ModelEntry, ModelLock } from "@/models/schema";
import { findModel, findModelFile, lockedFile } from "@/models/select";

export interface ModelStoreOptions {
  modelsDir: string;
  lock?: ModelLock;
  manifest?: readonly ModelEntry[];
}

export type FileCheckStatus = "ok" | "missing" | "mismatch" | "unpinned";

export interface FileCheckResult {
  path: string;
  fullPath: string;
  status: FileCheckStatus;
}

const PROBLEMS: Record<FileCheckStatus, string> = {
  ok: "is fine",
  missing: "is not installed",
  mismatch: "does not match models.lock.json",
  unpinned: "is not pinned in models.lock.json",
};

function requireModel(modelId: string, options: ModelStoreOptions): ModelEntry {
  const entry = findModel(modelId, options.manifest ?? MODEL_MANIFEST);
  if (!entry) throw new ModelIntegrityError(modelId, "", `Unknown model "${modelId}" (not in the manifest)`);
  return entry;
}

/** The folder a model is installed in, for loaders that take a directory (transformers.js). */
export function resolveModelDir(modelId: string, options: ModelStoreOptions): string {
  return path.join(options.modelsDir, requireModel(modelId, options).id);
}

/** Where a manifest file lives on disk; only exact manifest paths resolve, so `..` never does. */
export function modelFilePath(modelId: string, filePath: string, options: ModelStoreOptions): string {
  const file = findModelFile(requireModel(modelId, options).id, filePath, options.manifest ?? MODEL_MANIFEST);
  if (!file) {
    throw new ModelIntegrityError(
      modelId,
      filePath,
      `Unknown model file ${modelId}/${filePath} (not in the manifest)`,
    );
  }
  return path.join(options.modelsDir, modelId, ...file.path.split("/"));
}

function requirePin(modelId: string, filePath: string, options: ModelStoreOptions) {
  const pin = lockedFile(options.lock ?? MODEL_LOCK, modelId, filePath);
  if (!pin?.sha256) {
    throw new ModelIntegrityError(
      modelId,
      filePath,
      `Model file ${modelId}/${filePath} is not pinned in models.lock.json`,
    );
  }
  return { sha256: pin.sha256, bytes: pin.bytes };
}

/**
 * Reads the whole file, hashes that same buffer and returns it only if it matches the pin, so
 * what was checked is exactly what the caller gets (no time-of-check/time-of-use gap).
 */
export async function readVerifiedModelFile(
  modelId: string,
  filePath: string,
  options: ModelStoreOptions,
): Promise<Buffer> {
  const fullPath = modelFilePath(modelId, filePath, options);
  const pin = requirePin(modelId, filePath, options);
  const buffer = await readFile(fullPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    throw new ModelIntegrityError(
      modelId,
      filePath,
      `Model file ${fullPath} is not installed; run \`npm run models -- ${modelId}\``,
    );
  });
  const actual = sha256Hex(buffer);
  if (actual !== pin.sha256) {
    throw new ModelIntegrityError(
      modelId,
      filePath,
      `Model file ${fullPath} does not match models.lock.json (sha256 ${actual}, expected ${pin.sha256})`,
    );
  }
  return buffer;
}

/** Hashes every installed file of a model against the lock; reports, never throws for a bad file. */
export async function checkModelFiles(
  modelId: string,
  options: ModelStoreOptions,
): Promise<FileCheckResult[]> {
  const entry = requireModel(modelId, options);
  const results: FileCheckResult[] = [];
  for (const file of entry.files) {
    const fullPath = modelFilePath(modelId, file.path, options);
    const pin = lockedFile(options.lock ?? MODEL_LOCK, modelId, file.path);
    const digest = await hashFile(fullPath).catch(() => undefined);
    let status: FileCheckStatus = "ok";
    if (!pin?.sha256) status = "unpinned";
    else if (!digest) status = "missing";
    else if (digest.sha256 !== pin.sha256) status = "mismatch";
    results.push({ path: file.path, fullPath, status });
  }
  return results;
}

/**
 * Checks the whole model folder and returns it. Loaders that read files themselves (onnxruntime,
 * transformers.js) get a folder verified at load time; use readVerifiedModelFile where possible.
 */
export async function verifyModelDir(modelId: string, options: ModelStoreOptions): Promise<string> {
  const bad = (await checkModelFiles(modelId, options)).filter((result) => result.status !== "ok");
  const first = bad[0];
  if (first) {
    const others = bad.length > 1 ? ` (and ${bad.length - 1} more)` : "";
    throw new ModelIntegrityError(
      modelId,
      first.path,
      `Model file ${first.fullPath} ${PROBLEMS[first.status]}${others}`,
    );
  }
  return resolveModelDir(modelId, options);
}
