/**
 * A speech job, run inside a worker process: check the text again, pick the engine the
 * request resolves to, synthesise chunk by chunk, hand each chunk to live listeners the moment
 * it exists (stream/NNNNNN.pcm, see server/speech/stream-chunks.ts), then encode the whole and
 * write the result into the job's folder. Input errors become JobInputError, so the person
 * sees what to fix.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import {
  installedSpeechEngines,
  KOKORO_VOICES_MODEL_ID,
  kokoroModelSource,
  piperFolderVoiceName,
  piperVoiceSource,
} from "@/lib/node/speech-engines";
import type { WorkerEngine } from "@/lib/schemas/backend";
import { speechInputSchema, speechOptionsSchema } from "@/lib/schemas/speech";
import type { EngineName } from "@/lib/tts/models";
import { resolveSpeechTarget } from "@/lib/tts/models";
import { setIpaSource } from "@/lib/tts/phonemize";
import { CONTENT_TYPES } from "@/server/audio/encode";
import { startMp3Thread } from "@/server/audio/mp3-thread";
import { floatToS16le } from "@/server/audio/wav";
import { BasicEngine } from "@/server/engines/tts/basic-engine";
import { KokoroEngine, type KokoroSource } from "@/server/engines/tts/kokoro-engine";
import { PiperEngine, type PiperSource } from "@/server/engines/tts/piper-engine";
import { synthesizeLong } from "@/server/engines/tts/synthesize-long";
import type { TtsEngine } from "@/server/engines/tts/types";
import { warmUpWorkerPhonemizer, workerIpa } from "@/server/engines/tts/worker-phonemizer";
import { workerPayloadSchema } from "@/server/jobs/worker-payload";
import { openResultEncoder } from "@/server/speech/result-encoder";
import { streamDir, writeStreamChunk, writeStreamFormat } from "@/server/speech/stream-chunks";
import type { JobContext } from "@/server/workers/protocol";
import { JobInputError } from "@/server/workers/protocol";

// Workers phonemize short texts in-process and long ones with Debian's espeak-ng (same IPA).
// The in-process build warms up in the background; a failure there only keeps everything native.
setIpaSource(workerIpa);
void warmUpWorkerPhonemizer().catch(() => undefined);
// The MP3 thread starts now too, rather than beside the first MP3 job's first model run.
startMp3Thread();

/** Engines this worker has loaded, kept for its next jobs (one session per model per worker). */
const engines = new Map<EngineName, Promise<TtsEngine>>();

/** KOKORO_MODEL as a source: a manifest id uses the store (voices from their own entry), else a folder. */
function kokoroSource(): KokoroSource {
  const source = kokoroModelSource();
  return source.kind === "store"
    ? {
        kind: "store",
        store: { modelsDir: getConfig().models.dir },
        modelId: source.modelId,
        voicesModelId: KOKORO_VOICES_MODEL_ID,
      }
    : { kind: "folder", dir: source.dir };
}

/** PIPER_VOICE as a source: a manifest id, or a folder holding one NAME.onnx + NAME.onnx.json. */
async function piperSource(): Promise<PiperSource> {
  const source = piperVoiceSource();
  if (!source) throw new JobInputError("No Piper voice is installed on this server");
  if (source.kind === "store")
    return { kind: "store", store: { modelsDir: getConfig().models.dir }, modelId: source.modelId };
  const name = await piperFolderVoiceName(source.dir);
  if (!name) throw new JobInputError("No Piper voice is installed on this server");
  return { kind: "folder", dir: source.dir, name };
}

async function load(name: EngineName): Promise<TtsEngine> {
  if (name === "basic") return new BasicEngine();
  if (name === "kokoro") return KokoroEngine.create({ source: kokoroSource() });
  return PiperEngine.create({ source: await piperSource() });
}

function engine(name: EngineName): Promise<TtsEngine> {
  let loading = engines.get(name);
  if (!loading) {
    loading = load(name);
    // A failed load is not kept: the next job tries again.
    loading.catch(() => engines.delete(name));
    engines.set(name, loading);
  }
  return loading;
}

/** Spoken once at start, so the first person's job meets a model that has already run. */
const WARM_UP_TEXT = "Ready.";

/** Loads the engine `tts-1` resolves to (the best installed) and speaks one word with it. */
export async function warmUpSpeech(): Promise<WorkerEngine[]> {
  const target = resolveSpeechTarget("tts-1", "alloy", await installedSpeechEngines());
  if (!target.ok) return [];
  const synth = await engine(target.target.engine);
  for await (const _ of synthesizeLong(synth, WARM_UP_TEXT, { voice: target.target.voice, speed: 1 })) {
    // Only the run matters: the audio is dropped.
  }
  return [{ kind: "speech", engine: synth.name, provider: synth.executionProvider }];
}

export async function runSpeechJob(raw: unknown, context: JobContext) {
  const payload = workerPayloadSchema.parse(raw);
  const options = speechOptionsSchema.safeParse(payload.options);
  if (!options.success) throw new JobInputError("The job's settings are not valid");
  const text = speechInputSchema.safeParse(await readFile(payload.input, "utf8"));
  if (!text.success) throw new JobInputError(text.error.issues[0]?.message ?? "The text cannot be spoken");

  const target = resolveSpeechTarget(options.data.model, options.data.voice, await installedSpeechEngines());
  if (!target.ok) throw new JobInputError(target.message);
  const synth = await engine(target.target.engine);

  context.progress(0, "speaking");
  // A retried attempt starts the stream over; listeners already past a chunk index skip it.
  const live = streamDir(payload.dir);
  await mkdir(live, { recursive: true, mode: 0o700 });
  await writeStreamFormat(live, { sampleRate: synth.sampleRate });
  const format = options.data.format;
  const result = await openResultEncoder(format, synth.sampleRate);
  let samples = 0;
  let written = 0;
  try {
    const chunks = synthesizeLong(synth, text.data, {
      voice: target.target.voice,
      speed: options.data.speed,
      firstChunkMaxChars: LIMITS.tts.FIRST_CHUNK_MAX_CHARS,
      // Checked before each chunk: a canceled job stops after the model call it is in.
      signal: context.signal,
    });
    // Each chunk is written and handed to the MP3 thread before the next model run is asked
    // for: onnxruntime-node's run() holds this thread, so a chunk still being written when the
    // next run started (the old read-ahead) reached listeners one whole model run late.
    for await (const chunk of chunks) {
      samples += chunk.audio.samples.length;
      if (chunk.audio.samples.length > 0) {
        written += 1;
        await writeStreamChunk(live, written, floatToS16le(chunk.audio.samples));
        result.add(chunk.audio.samples);
      }
      // Encoding is the last tenth of the work; the progress notice also wakes live listeners.
      context.progress((0.9 * chunk.progress.charsDone) / Math.max(1, chunk.progress.charsTotal), "speaking");
    }
    context.signal.throwIfAborted();
  } catch (error) {
    result.release();
    throw error;
  }

  context.progress(0.9, "encoding");
  const encoded = await result.finish();
  const name = `speech.${format === "pcm" ? "pcm" : format === "opus" ? "ogg" : format}`;
  await writeFile(path.join(payload.dir, name), encoded.bytes, { mode: 0o600 });
  return {
    files: [{ name, mime: CONTENT_TYPES[format], bytes: encoded.bytes.byteLength }],
    durationSeconds: Math.round((samples / synth.sampleRate) * 100) / 100,
    engine: `${synth.name} (${synth.executionProvider})`,
  };
}
