/** Lookups over the manifest and the lock. Exact matches only: nothing here resolves paths. */
import { MODEL_MANIFEST } from "@/models/manifest";
import type { LockedFile, ModelEntry, ModelFile, ModelLock } from "@/models/schema";

export function findModel(modelId: string, manifest: readonly ModelEntry[] = MODEL_MANIFEST) {
  return manifest.find((entry) => entry.id === modelId);
}

export function findModelFile(
  modelId: string,
  filePath: string,
  manifest: readonly ModelEntry[] = MODEL_MANIFEST,
): ModelFile | undefined {
  return findModel(modelId, manifest)?.files.find((file) => file.path === filePath);
}

/** The pin for one file; `Object.hasOwn` keeps ids like `__proto__` from reaching the prototype. */
export function lockedFile(lock: ModelLock, modelId: string, filePath: string): LockedFile | undefined {
  const files = Object.hasOwn(lock.models, modelId) ? lock.models[modelId] : undefined;
  return files && Object.hasOwn(files, filePath) ? files[filePath] : undefined;
}

/** Ids plus everything they require, in manifest order; an unknown id throws with the known ones. */
export function expandModelIds(ids: readonly string[], manifest: readonly ModelEntry[] = MODEL_MANIFEST) {
  const wanted = new Set<string>();
  const visit = (id: string) => {
    const entry = findModel(id, manifest);
    if (!entry) {
      throw new Error(`Unknown model id "${id}". Known ids: ${manifest.map((e) => e.id).join(", ")}`);
    }
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const required of entry.requires ?? []) visit(required);
  };
  for (const id of ids) visit(id);
  return manifest.filter((entry) => wanted.has(entry.id));
}
