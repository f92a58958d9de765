/**
 * A model store over the shared mirror's TTS fixtures for tests and the benchmark: a temp
 * MODELS_DIR whose model folders link to the mirror, so engines load them through the real
 * verified-read path (hashes checked against models.lock.json).
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ModelStoreOptions } from "@/models/load-node";
import type { KokoroSource } from "@/server/engines/tts/kokoro-engine";

export const TTS_FIXTURE_FOLDERS: Record<string, string> = {
  "kokoro-signature-random": "test/kokoro-signature-random",
  "piper-vits-random": "test/piper-vits-random",
  "kokoro-82m-v1.0-voices": "kokoro-82m-v1.0-voices",
};

/** The Kokoro fixture as an engine source: the signature network, with the real voices. */
export function kokoroFixtureSource(store: ModelStoreOptions): KokoroSource {
  return {
    kind: "store",
    store,
    modelId: "kokoro-signature-random",
    voicesModelId: "kokoro-82m-v1.0-voices",
  };
}

export function createFixtureStore(mirrorDir: string): { store: ModelStoreOptions; cleanup: () => void } {
  const modelsDir = mkdtempSync(path.join(tmpdir(), "parla-tts-models-"));
  for (const [id, folder] of Object.entries(TTS_FIXTURE_FOLDERS)) {
    symlinkSync(path.join(mirrorDir, folder), path.join(modelsDir, id), "dir");
  }
  return { store: { modelsDir }, cleanup: () => rmSync(modelsDir, { recursive: true, force: true }) };
}
