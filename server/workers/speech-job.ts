/**
 * A speech job, run inside a worker process: check the text again, pick the engine the
 * request resolves to, synthesise chunk by chunk with progress, encode, and write the result
 * into the job's folder. Input errors become JobInputError, so the person sees what to fix.
 */
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { getConfig } from "@/lib/node/config";
import { resolveModelSource } from "@/lib/node/model-source";
import { speechInputSchema, speechOptionsSchema } from "@/lib/schemas/speech";
import type { EngineName } from "@/lib/tts/models";
import { resolveSpeechTarget } from "@/lib/tts/models";
import { isModelInstalled } from "@/models/installed";
import { CONTENT_TYPES, encodeAudio } from "@/server/audio/encode";
import { BasicEngine } from "@/server/engines/tts/basic-engine";
import { KokoroEngine, type KokoroSource } from "@/server/engines/tts/kokoro-engine";
import { synthesizeLong } from "@/server/engines/tts/synthesize-long";
import type { TtsEngine } from "@/server/engines/tts/types";
import { workerPayloadSchema } from "@/server/jobs/worker-payload";
import type { JobContext } from "@/server/workers/protocol";
import { JobInputError } from "@/server/workers/protocol";

/** Engines this worker has loaded, kept for its next jobs (one session per model per worker). */
const engines = new Map<EngineName, Promise<TtsEngine>>();

const KOKORO_VOICES_ID = "kokoro-82m-v1.0-voices";

/** KOKORO_MODEL as a source: a manifest id uses the store (voices from their own entry), else a folder. */
function kokoroSource(): KokoroSource {
  const { models, kokoroModel } = getConfig();
  const source = resolveModelSource(kokoroModel);
  return source.kind === "store"
    ? {
        kind: "store",
        store: { modelsDir: models.dir },
        modelId: source.modelId,
        voicesModelId: KOKORO_VOICES_ID,
      }
    : { kind: "folder", dir: source.dir };
}

async function kokoroInstalled(source: KokoroSource): Promise<boolean> {
  if (source.kind === "folder")
    return (await stat(source.dir).catch(() => undefined))?.isDirectory() ?? false;
  const ids = [source.modelId, source.voicesModelId];
  return (await Promise.all(ids.map((id) => isModelInstalled(source.store.modelsDir, id)))).every(Boolean);
}

/** Engines installed on this machine; the basic voice needs nothing but Debian's espeak-ng. */
async function installedEngines(): Promise<ReadonlySet<EngineName>> {
  const installed = new Set<EngineName>(["basic"]);
  if (await kokoroInstalled(kokoroSource())) installed.add("kokoro");
  return installed;
}

function load(name: EngineName): Promise<TtsEngine> {
  if (name === "basic") return Promise.resolve(new BasicEngine());
  if (name === "kokoro") return KokoroEngine.create({ source: kokoroSource() });
  throw new JobInputError(`The ${name} engine is not installed on this server`);
}

function engine(name: EngineName): Promise<TtsEngine> {
  let loading = engines.get(name);
  if (!loading) {
    loading = load(name);
    engines.set(name, loading);
  }
  return loading;
}

export async function runSpeechJob(raw: unknown, context: JobContext) {
  const payload = workerPayloadSchema.parse(raw);
  const options = speechOptionsSchema.safeParse(payload.options);
  if (!options.success) throw new JobInputError("The job's settings are not valid");
  const text = speechInputSchema.safeParse(await readFile(payload.input, "utf8"));
  if (!text.success) throw new JobInputError(text.error.issues[0]?.message ?? "The text cannot be spoken");

  const target = resolveSpeechTarget(options.data.model, options.data.voice, await installedEngines());
  if (!target.ok) throw new JobInputError(target.message);
  const synth = await engine(target.target.engine);

  context.progress(0, "speaking");
  const parts: Float32Array[] = [];
  let samples = 0;
  for await (const chunk of synthesizeLong(synth, text.data, {
    voice: target.target.voice,
    speed: options.data.speed,
  })) {
    parts.push(chunk.audio.samples);
    samples += chunk.audio.samples.length;
    // Encoding is the last tenth of the work.
    context.progress((0.9 * chunk.progress.charsDone) / Math.max(1, chunk.progress.charsTotal), "speaking");
  }
  const joined = new Float32Array(samples);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }

  context.progress(0.9, "encoding");
  const format = options.data.format;
  const encoded = await encodeAudio({ samples: joined, sampleRate: synth.sampleRate }, format);
  const name = `speech.${format === "pcm" ? "pcm" : format === "opus" ? "ogg" : format}`;
  await writeFile(path.join(payload.dir, name), encoded.bytes, { mode: 0o600 });
  return {
    files: [{ name, mime: CONTENT_TYPES[format], bytes: encoded.bytes.byteLength }],
    durationSeconds: Math.round((samples / synth.sampleRate) * 100) / 100,
    engine: `${synth.name} (${synth.executionProvider})`,
  };
}
