/**
 * Which speech engines this machine has, from the settings alone: KOKORO_MODEL and PIPER_VOICE
 * (a manifest id → the verified store, else a folder: lib/node/model-source.ts). The worker
 * picks engines with it, and /v1/models and /v1/audio/voices list only what it finds.
 */
import { readdir, stat } from "node:fs/promises";
import { getConfig } from "@/lib/node/config";
import { type ModelSource, resolveModelSource } from "@/lib/node/model-source";
import type { EngineName } from "@/lib/tts/models";
import { isModelInstalled } from "@/models/installed";

/** Kokoro's voices and vocabulary are their own manifest entry, whichever acoustic model is used. */
export const KOKORO_VOICES_MODEL_ID = "kokoro-82m-v1.0-voices";

export function kokoroModelSource(): ModelSource {
  return resolveModelSource(getConfig().kokoroModel);
}

export function piperVoiceSource(): ModelSource | undefined {
  const setting = getConfig().piperVoice;
  return setting ? resolveModelSource(setting) : undefined;
}

/** The voice in a Piper folder: the one NAME with both NAME.onnx and NAME.onnx.json. */
export async function piperFolderVoiceName(dir: string): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const voices = names.filter((name) => name.endsWith(".onnx") && names.includes(`${name}.json`));
  return voices.length === 1 ? voices[0]?.slice(0, -".onnx".length) : undefined;
}

async function isInstalled(source: ModelSource, alsoIds: readonly string[] = []): Promise<boolean> {
  const { dir } = getConfig().models;
  if (source.kind === "folder")
    return (await stat(source.dir).catch(() => undefined))?.isDirectory() ?? false;
  const ids = [source.modelId, ...alsoIds];
  return (await Promise.all(ids.map((id) => isModelInstalled(dir, id)))).every(Boolean);
}

/** Engines installed here; the basic voice needs nothing but Debian's espeak-ng. */
export async function installedSpeechEngines(): Promise<ReadonlySet<EngineName>> {
  const installed = new Set<EngineName>(["basic"]);
  const kokoro = kokoroModelSource();
  if (await isInstalled(kokoro, kokoro.kind === "store" ? [KOKORO_VOICES_MODEL_ID] : []))
    installed.add("kokoro");
  const piper = piperVoiceSource();
  if (
    piper &&
    (piper.kind === "store" || (await piperFolderVoiceName(piper.dir))) &&
    (await isInstalled(piper))
  )
    installed.add("piper");
  return installed;
}
