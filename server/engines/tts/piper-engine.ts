/**
 * Piper (VITS) voices on onnxruntime-node: espeak phonemes with punctuation → the voice's
 * phoneme_id_map (piper-ids.ts) → `input` int64 [1,N], `input_lengths` int64 [1], `scales`
 * float32 [3] = (noise_scale, length_scale / speed, noise_w) → `output` [1,1,1,samples] at the
 * voice's own sample rate.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import { Tensor } from "onnxruntime-node";
import { TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import {
  PHONEMIZER_LANGUAGES,
  type PhonemizerLanguage,
  phonemizeKeepingPunctuation,
  phonemizeManyKeepingPunctuation,
} from "@/lib/tts/phonemize";
import { type ModelStoreOptions, readVerifiedModelFile } from "@/models/load-node";
import { findModel } from "@/models/select";
import type { PcmAudio } from "@/server/audio/wav";
import {
  createSessionWithFallback,
  type ExecutionProvider,
  type ProviderAttempt,
  type ProviderLogger,
} from "@/server/engines/tts/execution-providers";
import {
  type PiperVoiceConfig,
  piperPhonemeIds,
  piperVoiceConfigSchema,
} from "@/server/engines/tts/piper-ids";
import {
  EngineError,
  type PreparedInput,
  type SynthesisOptions,
  type TtsEngine,
} from "@/server/engines/tts/types";

/** Phonemes per call: VITS attention is quadratic in length, so long text is chunked before this. */
export const PIPER_MAX_IDS = 2_000;

export type PiperSource =
  /** A manifest id whose files are NAME.onnx and NAME.onnx.json. */
  | { kind: "store"; store: ModelStoreOptions; modelId: string }
  /** A local folder holding NAME.onnx and NAME.onnx.json. */
  | { kind: "folder"; dir: string; name: string };

export interface PiperEngineOptions {
  source: PiperSource;
  providers?: readonly ExecutionProvider[];
  logger?: ProviderLogger;
  /** Overrides the voice's inference settings (tests use 0 noise for exact, repeatable output). */
  inference?: Partial<PiperVoiceConfig["inference"]>;
}

export interface PiperPrepared extends PreparedInput {
  ids: BigInt64Array;
}

async function readSource(source: PiperSource): Promise<{ model: Buffer; config: Buffer }> {
  if (source.kind === "folder") {
    const base = path.join(source.dir, path.basename(source.name));
    return { model: await readFile(`${base}.onnx`), config: await readFile(`${base}.onnx.json`) };
  }
  const files = findModel(source.modelId, source.store.manifest)?.files ?? [];
  const modelFile = files.find((file) => file.path.endsWith(".onnx"));
  const configFile = files.find((file) => file.path.endsWith(".onnx.json"));
  if (!modelFile || !configFile) throw new EngineError("piper", `"${source.modelId}" is not a Piper voice`);
  return {
    model: await readVerifiedModelFile(source.modelId, modelFile.path, source.store),
    config: await readVerifiedModelFile(source.modelId, configFile.path, source.store),
  };
}

export class PiperEngine implements TtsEngine<PiperPrepared> {
  readonly name = "piper" as const;

  private constructor(
    private readonly session: InferenceSession,
    readonly config: PiperVoiceConfig,
    private readonly language: PhonemizerLanguage,
    readonly executionProvider: ExecutionProvider,
    readonly providerAttempts: ProviderAttempt[],
  ) {}

  get sampleRate(): number {
    return this.config.audio.sample_rate;
  }

  static async create(options: PiperEngineOptions): Promise<PiperEngine> {
    const files = await readSource(options.source);
    const parsed = piperVoiceConfigSchema.parse(JSON.parse(files.config.toString("utf8")));
    const config = { ...parsed, inference: { ...parsed.inference, ...options.inference } };
    const language = config.espeak.voice.toLowerCase() as PhonemizerLanguage;
    if (config.phoneme_type !== "espeak" || !PHONEMIZER_LANGUAGES.includes(language)) {
      throw new EngineError("piper", `Piper voices in "${config.espeak.voice}" are not supported yet`);
    }
    const { session, provider, attempts } = await createSessionWithFallback(files.model, {
      ...(options.providers ? { providers: options.providers } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      label: "piper",
    });
    for (const name of ["input", "input_lengths", "scales"]) {
      if (!session.inputNames.includes(name))
        throw new EngineError("piper", `Piper model has no input "${name}"`);
    }
    return new PiperEngine(session, config, language, provider, attempts);
  }

  async prepare(text: string, _options?: SynthesisOptions): Promise<PiperPrepared> {
    return this.fromPhonemes(await phonemizeKeepingPunctuation(text, this.language));
  }

  async prepareMany(
    texts: readonly string[],
    _options?: SynthesisOptions,
  ): Promise<(PiperPrepared | TooManyTokensError)[]> {
    const phonemes = await phonemizeManyKeepingPunctuation(texts, this.language);
    return phonemes.map((each) => {
      try {
        return this.fromPhonemes(each);
      } catch (error) {
        if (error instanceof TooManyTokensError) return error;
        throw error;
      }
    });
  }

  private fromPhonemes(phonemes: string): PiperPrepared {
    return this.prepareIds(piperPhonemeIds(phonemes.trim(), this.config.phoneme_id_map).ids);
  }

  /** For callers that already have ids (tests against golden ids). */
  prepareIds(ids: readonly number[]): PiperPrepared {
    if (ids.length > PIPER_MAX_IDS) throw new TooManyTokensError(ids.length, PIPER_MAX_IDS);
    // BOS+pad and EOS frame the phonemes; each phoneme is followed by one pad.
    const tokenCount = Math.max(0, Math.floor((ids.length - 3) / 2));
    return { ids: BigInt64Array.from(ids, (id) => BigInt(id)), tokenCount };
  }

  async infer(prepared: PiperPrepared, options: SynthesisOptions): Promise<PcmAudio> {
    if (prepared.tokenCount === 0) return { samples: new Float32Array(0), sampleRate: this.sampleRate };
    options.signal?.throwIfAborted();
    const { noise_scale, length_scale, noise_w } = this.config.inference;
    const feeds = {
      input: new Tensor("int64", prepared.ids, [1, prepared.ids.length]),
      input_lengths: new Tensor("int64", BigInt64Array.of(BigInt(prepared.ids.length)), [1]),
      scales: new Tensor("float32", Float32Array.of(noise_scale, length_scale / options.speed, noise_w), [3]),
    };
    const outputs = await this.session.run(feeds);
    const output = outputs.output;
    if (output?.type !== "float32") throw new EngineError("piper", "Piper gave no float32 output");
    // [batch, 1, 1, samples]: the sample count is the last dimension, whatever the export named it.
    const samples = Float32Array.from(output.data as Float32Array);
    for (const tensor of Object.values(outputs)) tensor.dispose();
    return { samples, sampleRate: this.sampleRate };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
