/**
 * One interface for every speech engine: text → phonemes → ids (`prepare`, the pipeline's own
 * work) → model → PCM (`infer`). Keeping the two halves apart lets callers split a text that is
 * too long for the model before any model time is spent, and lets the benchmark separate
 * pipeline overhead from model time.
 */
import type { TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import type { EngineName } from "@/lib/tts/models";
import type { PcmAudio } from "@/server/audio/wav";

export type { PcmAudio };

export interface SynthesisOptions {
  /** The engine's own voice id (already resolved from the request: lib/tts/models.ts). */
  voice: string;
  /** 1 = natural; the OpenAI API's range is 0.25–4. */
  speed: number;
  signal?: AbortSignal;
}

export interface PreparedInput {
  /** Model tokens without padding/BOS/EOS (0 = nothing to say: no model call needed). */
  tokenCount: number;
}

export interface TtsEngine<P extends PreparedInput = PreparedInput> {
  readonly name: EngineName;
  readonly sampleRate: number;
  /** Where the model runs: "cuda" | "webgpu" | "cpu" for ONNX engines, "espeak-ng" for the basic voice. */
  readonly executionProvider: string;
  /** Throws TooManyTokensError (lib/tts/kokoro-tokenizer) when the text is too long for one call. */
  prepare(text: string, options: SynthesisOptions): Promise<P>;
  /**
   * Several texts at once, cheaper than one prepare() each (one phonemizer run for all). Per text,
   * what prepare() would give, or the TooManyTokensError it would throw; other errors reject.
   */
  prepareMany?(texts: readonly string[], options: SynthesisOptions): Promise<(P | TooManyTokensError)[]>;
  infer(prepared: P, options: SynthesisOptions): Promise<PcmAudio>;
  dispose(): Promise<void>;
}

export async function synthesize<P extends PreparedInput>(
  engine: TtsEngine<P>,
  text: string,
  options: SynthesisOptions,
): Promise<PcmAudio> {
  return engine.infer(await engine.prepare(text, options), options);
}

export class EngineError extends Error {
  constructor(
    readonly engine: EngineName,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}
