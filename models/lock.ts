/** The parsed lock (models.lock.json) and the pure helpers that update it. */

import lockJson from "@/models/models.lock.json";
import { type LockedFile, lockFileSchema, type ModelEntry, type ModelLock } from "@/models/schema";

export interface FilePin {
  modelId: string;
  path: string;
  sha256: string;
  bytes: number;
}

export function parseLock(json: unknown): ModelLock {
  const result = lockFileSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`models.lock.json is invalid:\n  ${issues.join("\n  ")}`);
  }
  return result.data;
}

/** The lock bundled with this build; loaders and the file route verify against it. */
export const MODEL_LOCK: ModelLock = parseLock(lockJson);

/**
 * Lists every manifest file in manifest order (new ones unpinned), drops files the manifest no
 * longer has, and applies the new pins. Keeping the order stable keeps lock diffs readable.
 */
export function updateLock(
  lock: ModelLock,
  manifest: readonly ModelEntry[],
  pins: readonly FilePin[],
): ModelLock {
  const models: ModelLock["models"] = {};
  for (const entry of manifest) {
    const files: Record<string, LockedFile> = {};
    const previous = Object.hasOwn(lock.models, entry.id) ? lock.models[entry.id] : undefined;
    for (const file of entry.files) {
      const pin = pins.find((p) => p.modelId === entry.id && p.path === file.path);
      const kept = previous && Object.hasOwn(previous, file.path) ? previous[file.path] : undefined;
      files[file.path] = pin
        ? { sha256: pin.sha256, bytes: pin.bytes }
        : (kept ?? { sha256: null, bytes: null });
    }
    models[entry.id] = files;
  }
  return { version: 1, models };
}
