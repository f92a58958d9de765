/**
 * Whisper on one window of at most 30 s of 16 kHz audio: transformers.js features, encoder and
 * decoder calls, and tokenizer; Parla's own token search (greedy by default, beam search by
 * option) with openai/whisper's logit rules; language given or detected; transcribe or
 * translate; segment timestamps; word timestamps aligned from cross-attentions where the model
 * exports them, else estimated from the segment timestamps (and labelled so); an initial prompt.
 */
import { deflateSync } from "node:zlib";
import { Tensor } from "@huggingface/transformers";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { whisperLanguageCode } from "@/lib/transcript/languages";
import type { DeviceAttempt, SttDevice } from "@/server/engines/stt/device";
import { seededRandom } from "@/server/engines/stt/seeded-random";
import type { LogitRules } from "@/server/engines/stt/whisper-logits";
import { type LoadedWhisper, loadWhisper, type WhisperSource } from "@/server/engines/stt/whisper-model";
import {
  type SearchResult,
  type StepFn,
  type StepOutput,
  searchTokens,
} from "@/server/engines/stt/whisper-search";
import {
  estimateTokenTimes,
  groupWords,
  splitSegments,
  TIME_PRECISION,
  type TimedText,
} from "@/server/engines/stt/whisper-tokens";

export type WhisperTask = "transcribe" | "translate";

export interface WhisperOptions {
  task?: WhisperTask;
  /** A code ("de") or English name ("german"); detected when absent. */
  language?: string;
  /** 1 = greedy (default); more = beam search with that many beams. */
  numBeams?: number;
  /** 0 (default) is deterministic; above 0 samples (beams are then ignored). */
  temperature?: number;
  /** Seeds the sampler when temperature > 0, so a transcript can be reproduced (default 0). */
  seed?: number;
  /** Segment timestamps from Whisper's timestamp tokens (default true). */
  timestamps?: boolean;
  wordTimestamps?: boolean;
  /** Text the window follows (a glossary, the previous window's transcript). */
  prompt?: string;
  maxNewTokens?: number;
  signal?: AbortSignal;
  /** Sees the raw logits of the first generated position (parity tests). */
  onFirstLogits?: (logits: Float32Array) => void;
}

export interface WindowSegment {
  /** Seconds from the window's start. */
  start: number;
  end: number;
  text: string;
  tokens: number[];
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number;
}

export interface WindowWord {
  word: string;
  start: number;
  end: number;
}

/** How word times were found: DTW over cross-attentions, or spread over each segment's span. */
export type WordTiming = "aligned" | "estimated";

export interface WindowResult {
  language: string;
  /** Probability of the detected language; absent when the language was given. */
  languageProbability?: number;
  promptTokens: number[];
  /** Generated tokens (timestamps included, end-of-text excluded). */
  tokens: number[];
  segments: WindowSegment[];
  /** Present when word timestamps were asked for. */
  words?: WindowWord[];
  wordTiming?: WordTiming;
  /** Over the whole window, as openai/whisper judges a decode for temperature fallback. */
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number;
}

/** A window's encoder output and language, ready for one or more token searches. */
export interface PreparedWindow {
  /** Length of the window in 16 kHz samples. */
  samples: number;
  encoded: Tensor;
  language: string;
  languageProbability?: number;
}

/** Cumulative time spent per stage, for the benchmark's overhead ratios. */
export interface WhisperTimings {
  featuresMs: number;
  encoderMs: number;
  decoderMs: number;
  /** Logit rules and token choice between decoder calls (Parla's JS, not the model). */
  searchMs: number;
  tokenizerMs: number;
  /** Decoder runs (one per token per beam after each prompt), so decoderMs reads per token. */
  decoderCalls: number;
}

type KvCache = Record<string, Tensor>;
type CrossAttentions = Tensor[];

interface ModelInternals {
  forward(inputs: Record<string, unknown>): Promise<Record<string, Tensor>>;
  _prepare_encoder_decoder_kwargs_for_generation(
    args: Record<string, unknown>,
  ): Promise<{ encoder_outputs: Tensor }>;
  _extract_token_timestamps(
    outputs: { cross_attentions: Tensor[][]; sequences: Tensor },
    heads: number[][],
    frames: number,
    precision: number,
    promptLength: number,
  ): Tensor;
}

const SAMPLE_RATE = LIMITS.stt.SAMPLE_RATE;

/** Mel frames are 10 ms and the encoder halves them: one encoder frame per 320 samples. */
const SAMPLES_PER_ENCODER_FRAME = 320;

function int64(ids: readonly number[]): Tensor {
  return new Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
}

function softmaxAt(row: Float32Array, index: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of row) if (value > max) max = value;
  let sum = 0;
  for (const value of row) sum += Math.exp(value - max);
  return Math.exp((row[index] ?? Number.NEGATIVE_INFINITY) - max) / sum;
}

/** gzip-style compression ratio of the text, as OpenAI reports it (high = repetitive). */
function compressionRatio(text: string): number {
  const bytes = Buffer.from(text, "utf8");
  return bytes.length === 0 ? 0 : bytes.length / deflateSync(bytes).length;
}

function zeroTimings(): WhisperTimings {
  return { featuresMs: 0, encoderMs: 0, decoderMs: 0, searchMs: 0, tokenizerMs: 0, decoderCalls: 0 };
}

export class WhisperEngine {
  readonly timings: WhisperTimings = zeroTimings();

  private constructor(private readonly loaded: LoadedWhisper) {}

  static async load(source: WhisperSource, devices?: readonly SttDevice[]): Promise<WhisperEngine> {
    return new WhisperEngine(await loadWhisper(source, devices));
  }

  /** The execution provider in use, and why any preferred ones were passed over. */
  get device(): { used: SttDevice; skipped: DeviceAttempt[] } {
    return { used: this.loaded.device, skipped: this.loaded.skipped };
  }

  get supportsWordTimestamps(): boolean {
    return this.loaded.supportsWordTimestamps;
  }

  get multilingual(): boolean {
    return this.loaded.generation.is_multilingual;
  }

  resetTimings(): void {
    Object.assign(this.timings, zeroTimings());
  }

  private get internals(): ModelInternals {
    return this.loaded.model as unknown as ModelInternals;
  }

  private async timed<T>(
    stage: Exclude<keyof WhisperTimings, "decoderCalls">,
    work: () => Promise<T> | T,
  ): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings[stage] += performance.now() - started;
    }
  }

  /** Log-mel features [1, 80 or 128, 3000] of up to 30 s of 16 kHz audio (zero-padded). */
  async features(samples: Float32Array): Promise<Tensor> {
    return this.timed("featuresMs", async () => {
      const { logMel } = this.loaded;
      if (logMel) return new Tensor("float32", logMel.compute(samples), [1, logMel.melBins, logMel.frames]);
      const { input_features } = (await this.loaded.processor(samples)) as { input_features: Tensor };
      return input_features;
    });
  }

  async encode(features: Tensor): Promise<Tensor> {
    return this.timed("encoderMs", async () => {
      const prepared = await this.internals._prepare_encoder_decoder_kwargs_for_generation({
        inputs_tensor: features,
        model_inputs: { input_features: features },
        model_input_name: "input_features",
        generation_config: this.loaded.model.generation_config,
      });
      return prepared.encoder_outputs;
    });
  }

  private stepper(encoded: Tensor, wantAttentions: boolean): StepFn<KvCache, CrossAttentions> {
    return async (input, cache) => {
      const started = performance.now();
      const out = await this.internals.forward({
        encoder_outputs: encoded,
        decoder_input_ids: int64(input),
        ...(cache ? { past_key_values: cache } : {}),
      });
      const next: KvCache = {};
      for (const [name, tensor] of Object.entries(out)) {
        if (!name.startsWith("present.")) continue;
        const pastName = `past_key_values.${name.slice("present.".length)}`;
        // The with-past branch returns empty encoder K/V: the first step's are kept (optimum's rule).
        const kept = name.includes(".encoder.") && cache ? cache[pastName] : undefined;
        next[pastName] = kept ?? tensor;
      }
      const logits = out.logits;
      if (!logits) throw new Error("The Whisper decoder returned no logits");
      const [, rows = 1, vocab = 0] = logits.dims;
      const extra = wantAttentions
        ? Object.keys(out)
            .filter((name) => name.startsWith("cross_attentions"))
            .sort()
            .map((name) => out[name] as Tensor)
        : undefined;
      this.timings.decoderMs += performance.now() - started;
      this.timings.decoderCalls += 1;
      return { logits: logits.data as Float32Array, rows, vocab, cache: next, ...(extra ? { extra } : {}) };
    };
  }

  /** Frees a cache's GPU tensors, never the encoder K/V every sequence shares. */
  private release(cache: KvCache): void {
    for (const [name, tensor] of Object.entries(cache)) {
      if (!name.includes(".encoder.") && tensor.location === "gpu-buffer") tensor.dispose();
    }
  }

  private languageToken(code: string): number {
    const token = this.loaded.generation.lang_to_id[`<|${code}|>`];
    if (token === undefined)
      throw new ApiError("bad_request", "language", `This model does not know the language "${code}"`);
    return token;
  }

  /** openai/whisper's detect_language: the most likely language token after <|startoftranscript|>. */
  async detectLanguage(encoded: Tensor): Promise<{ language: string; probability: number }> {
    const { generation } = this.loaded;
    if (!generation.is_multilingual) return { language: "en", probability: 1 };
    const step = this.stepper(encoded, false);
    const output = await step([generation.decoder_start_token_id], null);
    const row = output.logits.subarray((output.rows - 1) * output.vocab);
    const languages = Object.entries(generation.lang_to_id);
    const scores = Float32Array.from(languages, ([, id]) => row[id] ?? Number.NEGATIVE_INFINITY);
    let best = 0;
    for (let i = 1; i < scores.length; i++) if ((scores[i] ?? 0) > (scores[best] ?? 0)) best = i;
    const token = languages[best]?.[0] ?? "<|en|>";
    return { language: token.slice(2, -2), probability: softmaxAt(scores, best) };
  }

  private async promptTokens(
    task: WhisperTask,
    language: string,
    options: WhisperOptions,
  ): Promise<number[]> {
    const { generation, tokenizer } = this.loaded;
    const prompt: number[] = [];
    if (options.prompt?.trim() && generation.prev_sot_token_id !== undefined) {
      const ids = await this.timed("tokenizerMs", () =>
        tokenizer.encode(` ${options.prompt?.trim()}`, { add_special_tokens: false }),
      );
      prompt.push(generation.prev_sot_token_id, ...ids.slice(-LIMITS.stt.MAX_PROMPT_TOKENS));
    }
    prompt.push(generation.decoder_start_token_id);
    if (generation.is_multilingual) {
      const taskToken = generation.task_to_id[task];
      if (taskToken === undefined) throw new ApiError("bad_request", "task", `This model cannot ${task}`);
      prompt.push(this.languageToken(language), taskToken);
    } else if (task === "translate") {
      throw new ApiError("bad_request", "task", "This English-only model cannot translate");
    }
    if (options.timestamps === false) prompt.push(generation.no_timestamps_token_id);
    return prompt;
  }

  private rules(timestamps: boolean): LogitRules {
    const { generation } = this.loaded;
    return {
      eot: generation.eos_token_id,
      suppress: generation.suppress_tokens,
      beginSuppress: generation.begin_suppress_tokens,
      ...(timestamps
        ? {
            timestamps: {
              noTimestamps: generation.no_timestamps_token_id,
              timestampBegin: generation.no_timestamps_token_id + 1,
              maxInitialIndex: generation.max_initial_timestamp_index,
            },
          }
        : {}),
    };
  }

  private decode(tokens: readonly number[]): string {
    return this.loaded.tokenizer.decode(tokens as number[], { skip_special_tokens: true });
  }

  private async words(
    search: SearchResult<CrossAttentions>,
    prompt: number[],
    samples: number,
    timestampBegin: number,
    eot: number,
  ): Promise<WindowWord[]> {
    const heads = this.loaded.generation.alignment_heads ?? [];
    const sequence = [...prompt, ...search.tokens, ...(search.finished ? [eot] : [])];
    const times = this.internals
      ._extract_token_timestamps(
        { cross_attentions: search.extras, sequences: int64(sequence) },
        heads,
        Math.floor(samples / SAMPLES_PER_ENCODER_FRAME),
        TIME_PRECISION,
        prompt.length,
      )
      .tolist() as number[][];
    const at = (index: number) => times[0]?.[prompt.length + index] ?? 0;
    const pieces: TimedText[] = [];
    for (const [index, token] of search.tokens.entries()) {
      if (token >= timestampBegin || token >= eot) continue;
      pieces.push({ text: this.decode([token]), start: at(index), end: at(index + 1) });
    }
    return groupWords(pieces).map(({ text, start, end }) => ({ word: text, start, end }));
  }

  /**
   * Tokens decoded in runs that end on a whole character: byte-level BPE splits many non-Latin
   * characters over several tokens, each of which alone decodes to U+FFFD (openai/whisper's
   * split_tokens_on_unicode does the same).
   */
  characterPieces(tokens: readonly number[]): string[] {
    const pieces: string[] = [];
    let pending: number[] = [];
    for (const token of tokens) {
      pending.push(token);
      const text = this.decode(pending);
      // A UTF-8 character is at most 4 bytes, so 4 tokens always close one (or hold a real U+FFFD).
      if (!text.includes("\uFFFD") || pending.length >= 4) {
        pieces.push(text);
        pending = [];
      }
    }
    if (pending.length > 0) pieces.push(this.decode(pending));
    return pieces;
  }

  /**
   * Word times without cross-attentions: each segment's span (from Whisper's timestamp tokens)
   * shared among its tokens by their length in characters. An estimate, labelled as one.
   */
  private estimatedWords(
    segments: readonly { start: number; end: number; tokens: number[] }[],
  ): WindowWord[] {
    const pieces = segments.flatMap((segment) =>
      estimateTokenTimes(this.characterPieces(segment.tokens), segment.start, segment.end),
    );
    return groupWords(pieces).map(({ text, start, end }) => ({ word: text, start, end }));
  }

  /** Transcribes or translates one window (≤ 30 s of 16 kHz mono samples). */
  async transcribeWindow(samples: Float32Array, options: WhisperOptions = {}): Promise<WindowResult> {
    return this.decodeWindow(await this.prepareWindow(samples, options), options);
  }

  /**
   * Features, encoder output and language of one window: the part a temperature fallback can
   * reuse, since only the token search changes between its attempts.
   */
  async prepareWindow(
    samples: Float32Array,
    options: Pick<WhisperOptions, "language" | "signal"> = {},
  ): Promise<PreparedWindow> {
    const features = await this.features(samples);
    options.signal?.throwIfAborted();
    const encoded = await this.encode(features);
    options.signal?.throwIfAborted();
    if (options.language) {
      const code = whisperLanguageCode(options.language);
      if (!code) throw new ApiError("bad_request", "language", `Unknown language "${options.language}"`);
      return { samples: samples.length, encoded, language: code };
    }
    const { language, probability } = await this.detectLanguage(encoded);
    return { samples: samples.length, encoded, language, languageProbability: probability };
  }

  /** One token search over a prepared window (its language is the prepared one). */
  async decodeWindow(window: PreparedWindow, options: WhisperOptions = {}): Promise<WindowResult> {
    const task = options.task ?? "transcribe";
    const timestamps = options.timestamps ?? true;
    const { encoded, language, languageProbability } = window;
    const prompt = await this.promptTokens(task, language, options);
    const rules = this.rules(timestamps);
    const sot = prompt.indexOf(this.loaded.generation.decoder_start_token_id);
    // <|nospeech|> sits just before <|notimestamps|> in every Whisper vocabulary.
    const noSpeechToken = this.loaded.generation.no_timestamps_token_id - 1;
    let noSpeechProb = 0;
    const wantWords = Boolean(options.wordTimestamps);
    const aligned = wantWords && this.loaded.supportsWordTimestamps;
    const room = this.loaded.maxTargetPositions - prompt.length;
    const searchStarted = performance.now();
    const decoderBefore = this.timings.decoderMs;
    const search = await searchTokens(this.stepper(encoded, aligned), {
      prompt,
      maxNewTokens: Math.max(0, Math.min(options.maxNewTokens ?? LIMITS.stt.MAX_NEW_TOKENS, room)),
      numBeams: Math.min(Math.max(1, options.numBeams ?? 1), LIMITS.stt.MAX_BEAMS),
      temperature: options.temperature ?? 0,
      random: seededRandom(options.seed ?? 0),
      rules,
      signal: options.signal,
      release: (cache) => this.release(cache),
      onPromptStep: (output: StepOutput<KvCache, CrossAttentions>) => {
        const row = (index: number) => output.logits.slice(index * output.vocab, (index + 1) * output.vocab);
        noSpeechProb = softmaxAt(row(sot), noSpeechToken);
        options.onFirstLogits?.(row(output.rows - 1));
      },
    });

    this.timings.searchMs += performance.now() - searchStarted - (this.timings.decoderMs - decoderBefore);

    const windowSeconds = window.samples / SAMPLE_RATE;
    const timestampBegin = rules.timestamps?.timestampBegin ?? Number.POSITIVE_INFINITY;
    const started = performance.now();
    const tokenSegments = splitSegments(search.tokens, timestampBegin, rules.eot, windowSeconds);
    const segments = tokenSegments.map((segment) => {
      const text = this.decode(segment.tokens);
      const logprobs = segment.positions.map((position) => search.logprobs[position] ?? 0);
      return {
        start: segment.start,
        end: segment.end,
        text,
        tokens: segment.tokens,
        avgLogprob: logprobs.reduce((sum, value) => sum + value, 0) / Math.max(1, logprobs.length),
        compressionRatio: compressionRatio(text),
        noSpeechProb,
      };
    });
    const words = aligned
      ? await this.words(search, prompt, window.samples, timestampBegin, rules.eot)
      : wantWords
        ? this.estimatedWords(tokenSegments)
        : undefined;
    const text = this.decode(search.tokens.filter((token) => token < rules.eot));
    const logprobs = search.logprobs;
    this.timings.tokenizerMs += performance.now() - started;
    return {
      language,
      ...(languageProbability === undefined ? {} : { languageProbability }),
      promptTokens: prompt,
      tokens: search.tokens,
      segments,
      ...(words ? { words, wordTiming: aligned ? ("aligned" as const) : ("estimated" as const) } : {}),
      avgLogprob: logprobs.reduce((sum, value) => sum + value, 0) / Math.max(1, logprobs.length),
      compressionRatio: compressionRatio(text),
      noSpeechProb,
    };
  }

  async dispose(): Promise<void> {
    await this.loaded.model.dispose();
  }
}
