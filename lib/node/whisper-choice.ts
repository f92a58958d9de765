/**
 * Which Whisper serves transcription, and so OpenAI's `whisper-1` and every public Whisper name:
 * WHISPER_MODEL when set (a manifest id or a folder, lib/node/model-source.ts), else the best
 * Whisper installed in the model store by WHISPER_RANKING. Job creation, the worker, /health and
 * /v1/models all ask here, so they always name the same model.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import type { Config } from "@/lib/config/schema";
import { resolveModelSource } from "@/lib/node/model-source";
import type { BackendWhisper } from "@/lib/schemas/backend";
import { isModelInstalled } from "@/models/installed";
import type { ModelStoreOptions } from "@/models/load-node";
import { MODEL_MANIFEST, WHISPER_FILES } from "@/models/manifest";
import type { ModelEntry } from "@/models/schema";

/**
 * The manifest's real Whispers, best first: large-v3-turbo (large-v3's encoder with a 4-layer
 * decoder: near large-v3's accuracy at several times its speed), then by size. Random-weight
 * fixtures rank below every real model whatever their size: they only prove the plumbing.
 */
export const WHISPER_RANKING = ["whisper-large-v3-turbo", "whisper-small", "whisper-base", "whisper-tiny"];

/** The id a refusal suggests installing when there is no Whisper at all: quick enough on a CPU. */
export const SUGGESTED_WHISPER = "whisper-base";

export type WhisperChoice =
  | { kind: "store"; modelId: string; chosenBy: "setting" | "ranking" }
  | { kind: "folder"; dir: string; chosenBy: "setting" };

/** `name` is the manifest id or the folder's own name (never its path: health is public). */
export type WhisperResolution =
  | { ok: true; choice: WhisperChoice; name: string }
  | { ok: false; name: string | null; message: string };

export interface ChooseWhisperOptions {
  /** WHISPER_MODEL, unresolved. */
  setting: string | undefined;
  store: ModelStoreOptions;
}

function rankOf(entry: ModelEntry): number {
  if (entry.fixture) return WHISPER_RANKING.length + 1;
  const rank = WHISPER_RANKING.indexOf(entry.id);
  return rank === -1 ? WHISPER_RANKING.length : rank;
}

/** Every Whisper in the manifest, in the order the default choice tries them. */
export function rankedWhispers(manifest: readonly ModelEntry[] = MODEL_MANIFEST): string[] {
  return manifest
    .filter((entry) => entry.engine === "stt-whisper")
    .sort((a, b) => rankOf(a) - rankOf(b))
    .map((entry) => entry.id);
}

async function missingWhisperFiles(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (const file of WHISPER_FILES) await access(path.join(dir, file)).catch(() => missing.push(file));
  return missing;
}

async function fromSetting(setting: string, store: ModelStoreOptions): Promise<WhisperResolution> {
  const manifest = store.manifest ?? MODEL_MANIFEST;
  const source = resolveModelSource(setting, manifest);
  if (source.kind === "folder") {
    const name = path.basename(source.dir);
    const missing = await missingWhisperFiles(source.dir);
    if (missing.length === 0) return { ok: true, choice: { ...source, chosenBy: "setting" }, name };
    return {
      ok: false,
      name,
      message: `The WHISPER_MODEL folder "${name}" is not a Whisper model in the transformers.js layout (missing ${missing.join(", ")})`,
    };
  }
  const { modelId } = source;
  if (!rankedWhispers(manifest).includes(modelId)) {
    return {
      ok: false,
      name: modelId,
      message: `WHISPER_MODEL is ${modelId}, which is not a Whisper model; set a Whisper id (${rankedWhispers(manifest).join(", ")}) or a folder`,
    };
  }
  if (!(await isModelInstalled(store.modelsDir, modelId, store))) {
    return {
      ok: false,
      name: modelId,
      message: `WHISPER_MODEL is ${modelId}, which is not installed: run \`npm run models -- ${modelId}\``,
    };
  }
  return { ok: true, choice: { kind: "store", modelId, chosenBy: "setting" }, name: modelId };
}

/**
 * The Whisper to run. "Installed" is the store's own test (every file present with its pinned
 * size, pinned in the lock); the loader hashes every file before it reads one.
 */
export async function chooseWhisper({ setting, store }: ChooseWhisperOptions): Promise<WhisperResolution> {
  if (setting) return fromSetting(setting, store);
  for (const modelId of rankedWhispers(store.manifest)) {
    if (await isModelInstalled(store.modelsDir, modelId, store)) {
      return { ok: true, choice: { kind: "store", modelId, chosenBy: "ranking" }, name: modelId };
    }
  }
  return {
    ok: false,
    name: null,
    message: `No Whisper model is installed: run \`npm run models -- ${SUGGESTED_WHISPER}\` (or another Whisper: ${WHISPER_RANKING.join(", ")}), or set WHISPER_MODEL`,
  };
}

/** The choice for this process's settings. */
export function configuredWhisper(config: Pick<Config, "whisperModel" | "models">) {
  return chooseWhisper({ setting: config.whisperModel, store: { modelsDir: config.models.dir } });
}

/** The choice as /health reports it. */
export function whisperStatus(resolution: WhisperResolution): BackendWhisper {
  if (!resolution.ok) return { status: "missing", model: resolution.name, message: resolution.message };
  const { choice, name } = resolution;
  return { status: "available", model: name, source: choice.kind, chosenBy: choice.chosenBy };
}
