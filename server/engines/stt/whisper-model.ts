/**
 * Loads a Whisper model in the transformers.js layout (processor, tokenizer, encoder and merged
 * decoder) from a verified manifest model or a local folder, on the first execution provider
 * that works. Remote models are off: Parla never fetches weights at load time.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import {
  AutoProcessor,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Processor,
  WhisperForConditionalGeneration,
} from "@huggingface/transformers";
import { z } from "zod";
import { type ModelStoreOptions, verifyModelDir } from "@/models/load-node";
import { WHISPER_FILES } from "@/models/manifest";
import {
  type DeviceAttempt,
  onFirstWorkingDevice,
  STT_DEVICES,
  type SttDevice,
} from "@/server/engines/stt/device";
import { logMelFor, type WhisperLogMel } from "@/server/engines/stt/log-mel";

/** A manifest id (verified against models.lock.json first) or a folder in the transformers.js layout. */
export type WhisperSource = { modelId: string; store: ModelStoreOptions } | { folder: string };

// The generation config is a file on disk: read it through a schema, not by trust.
const generationSchema = z.object({
  decoder_start_token_id: z.number().int(),
  // Some configs list several end tokens; Whisper's end-of-text is the first.
  eos_token_id: z
    .union([z.number().int(), z.array(z.number().int()).min(1)])
    .transform((eos) => (typeof eos === "number" ? eos : (eos[0] ?? 0))),
  no_timestamps_token_id: z.number().int(),
  prev_sot_token_id: z.number().int().optional(),
  suppress_tokens: z.array(z.number().int()).default([]),
  begin_suppress_tokens: z.array(z.number().int()).default([]),
  lang_to_id: z.record(z.string(), z.number().int()).default({}),
  task_to_id: z.record(z.string(), z.number().int()).default({}),
  is_multilingual: z.boolean().default(false),
  max_initial_timestamp_index: z.number().int().nullable().default(null),
  alignment_heads: z
    .array(z.tuple([z.number().int(), z.number().int()]))
    .nullable()
    .default(null),
});
export type WhisperGeneration = z.infer<typeof generationSchema>;

const modelConfigSchema = z.object({ max_target_positions: z.number().int().positive().default(448) });

export interface LoadedWhisper {
  model: PreTrainedModel;
  processor: Processor;
  tokenizer: PreTrainedTokenizer;
  generation: WhisperGeneration;
  maxTargetPositions: number;
  device: SttDevice;
  skipped: DeviceAttempt[];
  folder: string;
  /** The decoder returns cross-attentions and the config names alignment heads. */
  supportsWordTimestamps: boolean;
  /** Parla's own log-mel features, when the processor's settings allow (else the processor's). */
  logMel: WhisperLogMel | undefined;
}

async function resolveFolder(source: WhisperSource): Promise<string> {
  if ("modelId" in source) return verifyModelDir(source.modelId, source.store);
  const folder = path.resolve(source.folder);
  const missing: string[] = [];
  for (const file of WHISPER_FILES) {
    await access(path.join(folder, file)).catch(() => missing.push(file));
  }
  if (missing.length > 0) {
    throw new Error(
      `${folder} is not a Whisper model in the transformers.js layout (missing ${missing.join(", ")})`,
    );
  }
  return folder;
}

// env.localModelPath is process-wide, so loads take turns while it points at their folder.
let loadQueue: Promise<unknown> = Promise.resolve();

function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(task, task);
  loadQueue = run.catch(() => undefined);
  return run;
}

export async function loadWhisper(
  source: WhisperSource,
  devices: readonly SttDevice[] = STT_DEVICES,
): Promise<LoadedWhisper> {
  const folder = await resolveFolder(source);
  return serialized(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(folder);
    const id = path.basename(folder);
    const choice = await onFirstWorkingDevice(devices, (device) =>
      WhisperForConditionalGeneration.from_pretrained(id, { dtype: "fp32", device, local_files_only: true }),
    );
    const model = choice.value;
    const [processor, tokenizer] = await Promise.all([
      AutoProcessor.from_pretrained(id, { local_files_only: true }),
      AutoTokenizer.from_pretrained(id, { local_files_only: true }),
    ]);
    const generation = generationSchema.parse(model.generation_config);
    const { max_target_positions } = modelConfigSchema.parse(model.config);
    const sessions = (model as unknown as { sessions: Record<string, { outputNames: string[] }> }).sessions;
    const decoderOutputs = sessions.decoder_model_merged?.outputNames ?? [];
    return {
      model,
      processor,
      tokenizer,
      generation,
      maxTargetPositions: max_target_positions,
      device: choice.device,
      skipped: choice.skipped,
      folder,
      supportsWordTimestamps:
        generation.alignment_heads !== null &&
        decoderOutputs.some((name) => name.startsWith("cross_attentions")),
      logMel: logMelFor(
        (processor as unknown as { feature_extractor?: { config?: unknown } }).feature_extractor?.config,
      ),
    };
  });
}
