/**
 * One rule for every "model" setting (WHISPER_MODEL, KOKORO_MODEL, PIPER_VOICE): a value that
 * is a manifest id means the verified model store; anything else is an operator's local folder.
 * Ids are matched exactly against the manifest, so a request can never turn into a path here:
 * only settings reach this function.
 */
import path from "node:path";
import { MODEL_MANIFEST } from "@/models/manifest";
import type { ModelEntry } from "@/models/schema";

export type ModelSource = { kind: "store"; modelId: string } | { kind: "folder"; dir: string };

export function resolveModelSource(
  setting: string,
  manifest: readonly ModelEntry[] = MODEL_MANIFEST,
): ModelSource {
  return manifest.some((entry) => entry.id === setting)
    ? { kind: "store", modelId: setting }
    : { kind: "folder", dir: path.resolve(setting) };
}
