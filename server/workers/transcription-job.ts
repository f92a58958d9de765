/**
 * A transcription job, run inside a worker process: decode (time- and size-capped), VAD,
 * Whisper per window, then the transcript in every format beside the recording. The models load
 * once per worker and stay warm for its next jobs; the Whisper is the one whisper-choice.ts picks.
 */
import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { audioLimitsFor } from "@/lib/audio/limits";
import { getConfig } from "@/lib/node/config";
import { configuredWhisper } from "@/lib/node/whisper-choice";
import type { WorkerEngine } from "@/lib/schemas/backend";
import { RECORDING_MIME_TYPES, transcriptionOptionsSchema } from "@/lib/schemas/transcription";
import {
  formatTranscript,
  RESPONSE_CONTENT_TYPES,
  RESPONSE_EXTENSIONS,
  type ResponseFormat,
} from "@/lib/transcript/formats";
import { playableRecording } from "@/server/audio/playable-recording";
import { type SttEngines, transcribe } from "@/server/engines/stt/transcribe";
import { SileroVad } from "@/server/engines/stt/vad";
import { WhisperEngine } from "@/server/engines/stt/whisper";
import { workerPayloadSchema } from "@/server/jobs/worker-payload";
import { type JobContext, JobInputError } from "@/server/workers/protocol";

/** The files a finished transcription leaves: the person downloads any of them. */
const OUTPUTS: readonly ResponseFormat[] = ["text", "srt", "vtt", "verbose_json"];

interface Loaded {
  /** The choice the engines were loaded for: a newly installed better Whisper replaces them. */
  key: string;
  name: string;
  engines: Promise<SttEngines>;
}

let loaded: Loaded | undefined;

async function loadEngines(): Promise<{ name: string; engines: SttEngines }> {
  const config = getConfig();
  const resolution = await configuredWhisper(config);
  if (!resolution.ok) throw new JobInputError(resolution.message);
  const { choice, name } = resolution;
  const key = choice.kind === "store" ? `store:${choice.modelId}` : `folder:${choice.dir}`;
  if (loaded?.key !== key) {
    const previous = loaded;
    const store = { modelsDir: config.models.dir };
    const engines = Promise.all([
      SileroVad.load(store),
      WhisperEngine.load(
        choice.kind === "store" ? { modelId: choice.modelId, store } : { folder: choice.dir },
      ),
    ]).then(([vad, whisper]) => ({ vad, whisper }));
    loaded = { key, name, engines };
    // A worker runs one job at a time, so the models it used last are free to go.
    previous?.engines
      .then((old) => Promise.all([old.vad.release(), old.whisper.dispose()]))
      .catch(() => undefined);
  }
  const current = loaded;
  try {
    return { name: current.name, engines: await current.engines };
  } catch (error) {
    // A failed load is not kept: the next job tries again (the files may have been repaired).
    if (loaded === current) loaded = undefined;
    throw error;
  }
}

/**
 * Loads Silero VAD and the Whisper that serves transcription, when one is installed. Only the
 * sessions are made: a warm-up window would cost a full-size Whisper's encoder run (about 16 s
 * on this CPU) at every worker start.
 */
export async function warmUpTranscription(): Promise<WorkerEngine[]> {
  const loaded = await loadEngines().catch((error: unknown) => {
    if (error instanceof JobInputError) return undefined; // no Whisper installed: nothing to warm
    throw error;
  });
  if (!loaded) return [];
  return [{ kind: "transcription", engine: loaded.name, provider: loaded.engines.whisper.device.used }];
}

export async function runTranscriptionJob(raw: unknown, context: JobContext) {
  const payload = workerPayloadSchema.parse(raw);
  const options = transcriptionOptionsSchema.safeParse(payload.options);
  if (!options.success) throw new JobInputError("The job's settings are not valid");
  context.progress(0, "loading models");
  const { name, engines: stt } = await loadEngines();
  const transcript = await transcribe({ path: payload.input }, stt, {
    ...options.data,
    limits: audioLimitsFor("free"),
    tempRoot: payload.scratch,
    // Checked between windows and decoder steps: a canceled job stops without losing its worker.
    signal: context.signal,
    onProgress: ({ fraction, stage }) => context.progress(fraction, stage),
  });
  const files = [];
  for (const format of OUTPUTS) {
    const name = `transcript.${RESPONSE_EXTENSIONS[format]}`;
    const bytes = Buffer.from(formatTranscript(transcript, format, ["segment", "word"]));
    await writeFile(path.join(payload.dir, name), bytes, { mode: 0o600 });
    files.push({ name, mime: RESPONSE_CONTENT_TYPES[format], bytes: bytes.byteLength });
  }
  // The recording stays beside its transcript (in the job's folder, deleted with it) so the
  // transcript view, and a share link, can play it while the segments seek through it.
  const playable = await playableRecording(payload.input, payload.dir);
  const recording = path.basename(playable);
  const extension = path.extname(recording).slice(1) as keyof typeof RECORDING_MIME_TYPES;
  files.push({
    name: recording,
    mime: RECORDING_MIME_TYPES[extension] ?? "application/octet-stream",
    bytes: (await stat(playable)).size,
  });
  return {
    files,
    text: transcript.text,
    language: transcript.language,
    durationSeconds: transcript.durationSeconds,
    ...(transcript.wordTimestamps ? { wordTimestamps: transcript.wordTimestamps } : {}),
    engine: `${name} (${stt.whisper.device.used})`,
  };
}
