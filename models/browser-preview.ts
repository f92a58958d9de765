/**
 * Which files a browser needs to preview with a Kokoro model from the store, as same-origin
 * URLs of the model file route with the size and SHA-256 pinned in the lock. Pure: the caller
 * decides whether the model is installed. A file the lock does not pin cannot be verified by
 * the browser, so such a model is not offered.
 */
import type { PreviewFile } from "@/lib/schemas/tts-preview";
import { MODEL_LOCK } from "@/models/lock";
import { MODEL_MANIFEST } from "@/models/manifest";
import type { ModelEntry, ModelLock } from "@/models/schema";
import { findModel, lockedFile } from "@/models/select";

export const KOKORO_VOICES_MODEL_ID = "kokoro-82m-v1.0-voices";

export interface BrowserKokoroFiles {
  model: { fp32: PreviewFile; q8?: PreviewFile };
  vocab: PreviewFile;
  voices: Record<string, PreviewFile>;
  fixture: boolean;
}

export type BrowserKokoroResult = { ok: true; files: BrowserKokoroFiles } | { ok: false; reason: string };

export function modelFileUrl(modelId: string, filePath: string): string {
  return `/api/models/${modelId}/${filePath}`;
}

function pinned(lock: ModelLock, modelId: string, filePath: string): PreviewFile | undefined {
  const pin = lockedFile(lock, modelId, filePath);
  if (!pin?.sha256 || !pin.bytes) return undefined;
  return { url: modelFileUrl(modelId, filePath), bytes: pin.bytes, sha256: pin.sha256 };
}

export function browserKokoroFiles(
  modelId: string,
  lock: ModelLock = MODEL_LOCK,
  manifest: readonly ModelEntry[] = MODEL_MANIFEST,
): BrowserKokoroResult {
  const entry = findModel(modelId, manifest);
  if (entry?.engine !== "tts-kokoro" || entry.id === KOKORO_VOICES_MODEL_ID) {
    return { ok: false, reason: `"${modelId}" is not a Kokoro model in the manifest` };
  }
  const fp32 = pinned(lock, modelId, "onnx/model.onnx");
  if (!fp32) return { ok: false, reason: `${modelId}/onnx/model.onnx is not pinned in models.lock.json` };
  const q8 = entry.files.some((file) => file.path === "onnx/model_quantized.onnx")
    ? pinned(lock, modelId, "onnx/model_quantized.onnx")
    : undefined;

  const voicesEntry = findModel(KOKORO_VOICES_MODEL_ID, manifest);
  const vocab = pinned(lock, KOKORO_VOICES_MODEL_ID, "config.json");
  if (!voicesEntry || !vocab) return { ok: false, reason: "The Kokoro voices are not pinned" };
  const voices: Record<string, PreviewFile> = {};
  for (const file of voicesEntry.files) {
    const voice = /^voices\/([a-z]{2}_[a-z]+)\.bin$/.exec(file.path)?.[1];
    const pin = voice && pinned(lock, KOKORO_VOICES_MODEL_ID, file.path);
    if (voice && pin) voices[voice] = pin;
  }
  return {
    ok: true,
    files: { model: q8 ? { fp32, q8 } : { fp32 }, vocab, voices, fixture: entry.fixture === true },
  };
}
