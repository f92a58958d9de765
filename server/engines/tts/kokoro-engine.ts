/**
 * Kokoro-82M v1.0 on onnxruntime-node: espeak phonemes (with Kokoro's fix-ups) → vocabulary ids
 * → `input_ids` int64 [1,N], `style` float32 [1,256] (voice row N-2), `speed` float32 [1] →
 * `waveform` at 24 kHz. Files come from the model store through its verified read (hash checked
 * against models.lock.json), or from an operator's folder in the onnx-community layout.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import { Tensor } from "onnxruntime-node";
import {
  type KokoroVocab,
  kokoroTokenize,
  parseKokoroVocab,
  TooManyTokensError,
} from "@/lib/tts/kokoro-tokenizer";
import { phonemizeForKokoro, phonemizeManyForKokoro } from "@/lib/tts/phonemize";
import { blendVoiceTables, parseVoiceTable, styleRow } from "@/lib/tts/voice-style";
import { kokoroAccent, voiceBlendSchema } from "@/lib/tts/voices";
import { type ModelStoreOptions, readVerifiedModelFile } from "@/models/load-node";
import type { PcmAudio } from "@/server/audio/wav";
import {
  createSessionWithFallback,
  type ExecutionProvider,
  type ProviderAttempt,
  type ProviderLogger,
} from "@/server/engines/tts/execution-providers";
import {
  EngineError,
  type PreparedInput,
  type SynthesisOptions,
  type TtsEngine,
} from "@/server/engines/tts/types";

export const KOKORO_SAMPLE_RATE = 24_000;

export type KokoroSource =
  /** Manifest ids: the acoustic model (e.g. kokoro-82m-v1.0) and the voices + vocabulary entry. */
  | { kind: "store"; store: ModelStoreOptions; modelId: string; voicesModelId: string; modelFile?: string }
  /** A local folder: config.json or tokenizer.json (vocab), onnx/model*.onnx, voices/*.bin. */
  | { kind: "folder"; dir: string; modelFile?: string };

export interface KokoroEngineOptions {
  source: KokoroSource;
  providers?: readonly ExecutionProvider[];
  logger?: ProviderLogger;
}

export interface KokoroPrepared extends PreparedInput {
  ids: BigInt64Array;
}

/** Reads one file of the model by its fixed relative path; ids never become paths by themselves. */
type FileReader = (part: "model" | "voices", relativePath: string) => Promise<Buffer>;

function fileReader(source: KokoroSource): FileReader {
  if (source.kind === "store") {
    return (part, relativePath) =>
      readVerifiedModelFile(
        part === "model" ? source.modelId : source.voicesModelId,
        relativePath,
        source.store,
      );
  }
  return (_part, relativePath) => readFile(path.join(source.dir, ...relativePath.split("/")));
}

/** The vocabulary: hexgrad's config.json `vocab`, or the onnx-community tokenizer.json `model.vocab`. */
async function loadVocab(read: FileReader, source: KokoroSource): Promise<KokoroVocab> {
  const config = JSON.parse((await read("voices", "config.json")).toString("utf8"));
  if (config && typeof config === "object" && "vocab" in config) return parseKokoroVocab(config);
  if (source.kind === "folder") {
    const tokenizer = JSON.parse((await read("model", "tokenizer.json")).toString("utf8"));
    const vocab = { ...tokenizer?.model?.vocab };
    delete vocab.$; // the pad symbol; the tokenizer adds pads itself
    return parseKokoroVocab({ vocab });
  }
  throw new EngineError("kokoro", "Kokoro config.json has no vocabulary");
}

export class KokoroEngine implements TtsEngine<KokoroPrepared> {
  readonly name = "kokoro" as const;
  readonly sampleRate = KOKORO_SAMPLE_RATE;
  private readonly voices = new Map<string, Promise<Float32Array>>();

  private constructor(
    private readonly session: InferenceSession,
    private readonly vocab: KokoroVocab,
    private readonly read: FileReader,
    readonly executionProvider: ExecutionProvider,
    readonly providerAttempts: ProviderAttempt[],
  ) {}

  static async create(options: KokoroEngineOptions): Promise<KokoroEngine> {
    const read = fileReader(options.source);
    const vocab = await loadVocab(read, options.source);
    const model = await read("model", options.source.modelFile ?? "onnx/model.onnx");
    const { session, provider, attempts } = await createSessionWithFallback(model, {
      ...(options.providers ? { providers: options.providers } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      label: "kokoro",
    });
    for (const name of ["input_ids", "style", "speed"]) {
      if (!session.inputNames.includes(name))
        throw new EngineError("kokoro", `Kokoro model has no input "${name}"`);
    }
    return new KokoroEngine(session, vocab, read, provider, attempts);
  }

  /** The voice table for a voice id or a two-voice blend (`af_bella(0.7)+af_sky(0.3)`), cached. */
  private voiceTable(voice: string): Promise<Float32Array> {
    let table = this.voices.get(voice);
    if (!table) {
      const blend = voiceBlendSchema.parse(voice);
      table = Promise.all(
        blend.voices.map(async ({ id, weight }) => ({
          table: parseVoiceTable(await this.read("voices", `voices/${id}.bin`)),
          weight,
        })),
      ).then((parts) => (parts.length === 1 && parts[0] ? parts[0].table : blendVoiceTables(parts)));
      table.catch(() => this.voices.delete(voice));
      this.voices.set(voice, table);
    }
    return table;
  }

  /** The accent of a voice or of a blend's first voice. */
  private accent(voice: string) {
    const first = voiceBlendSchema.parse(voice).voices[0];
    if (!first) throw new EngineError("kokoro", "No voice");
    return kokoroAccent(first.id);
  }

  private tokenize(phonemes: string): KokoroPrepared {
    const { ids } = kokoroTokenize(phonemes, this.vocab);
    return { ids, tokenCount: ids.length - 2 };
  }

  async prepare(text: string, options: SynthesisOptions): Promise<KokoroPrepared> {
    return this.tokenize(await phonemizeForKokoro(text, this.accent(options.voice)));
  }

  async prepareMany(
    texts: readonly string[],
    options: SynthesisOptions,
  ): Promise<(KokoroPrepared | TooManyTokensError)[]> {
    const phonemes = await phonemizeManyForKokoro(texts, this.accent(options.voice));
    return phonemes.map((each) => {
      try {
        return this.tokenize(each);
      } catch (error) {
        if (error instanceof TooManyTokensError) return error;
        throw error;
      }
    });
  }

  async infer(prepared: KokoroPrepared, options: SynthesisOptions): Promise<PcmAudio> {
    if (prepared.tokenCount === 0) return { samples: new Float32Array(0), sampleRate: this.sampleRate };
    const style = styleRow(await this.voiceTable(options.voice), prepared.tokenCount);
    options.signal?.throwIfAborted();
    const feeds = {
      input_ids: new Tensor("int64", prepared.ids, [1, prepared.ids.length]),
      style: new Tensor("float32", style, [1, style.length]),
      speed: new Tensor("float32", Float32Array.of(options.speed), [1]),
    };
    const outputs = await this.session.run(feeds);
    const waveform = outputs.waveform;
    if (waveform?.type !== "float32") throw new EngineError("kokoro", "Kokoro gave no float32 waveform");
    // Copy out of onnxruntime's buffer so the tensor can be released.
    const samples = Float32Array.from(waveform.data as Float32Array);
    for (const output of Object.values(outputs)) output.dispose();
    return { samples, sampleRate: this.sampleRate };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
