/**
 * Installs models into a test's own store the way `npm run models` does: copied from the mirror,
 * every file hashed against the lock, renamed into place. A failure fails the test's setup.
 */
import { fetchModels } from "@/models/fetch";
import { MODEL_LOCK } from "@/models/lock";
import { MODEL_MANIFEST } from "@/models/manifest";
import type { ModelEntry, ModelLock } from "@/models/schema";
import { expandModelIds } from "@/models/select";
import { MODEL_MIRROR_DIR } from "@/test/mirror";

export interface InstallOptions {
  manifest?: readonly ModelEntry[];
  lock?: ModelLock;
}

export async function installFromMirror(
  modelsDir: string,
  ids: readonly string[],
  { manifest = MODEL_MANIFEST, lock = MODEL_LOCK }: InstallOptions = {},
): Promise<void> {
  const result = await fetchModels({
    entries: expandModelIds(ids, manifest),
    lock,
    modelsDir,
    mirrorDir: MODEL_MIRROR_DIR,
  });
  const failure = result.failures[0];
  if (failure) throw failure.error;
}
