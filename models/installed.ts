/**
 * Whether a model is installed: every manifest file present with its pinned size. Cheap enough
 * to ask often (health, engine choice); the full SHA-256 check runs when a loader reads a file.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { ModelStoreOptions } from "@/models/load-node";
import { MODEL_LOCK } from "@/models/lock";
import { findModel, lockedFile } from "@/models/select";

export async function isModelInstalled(
  modelsDir: string,
  id: string,
  { manifest, lock = MODEL_LOCK }: Omit<ModelStoreOptions, "modelsDir"> = {},
): Promise<boolean> {
  const entry = findModel(id, manifest);
  if (!entry) return false;
  for (const file of entry.files) {
    const pin = lockedFile(lock, id, file.path);
    const found = await stat(path.join(modelsDir, id, ...file.path.split("/"))).catch(() => undefined);
    if (!pin?.sha256 || !found?.isFile() || (pin.bytes !== null && found.size !== pin.bytes)) return false;
  }
  return true;
}
