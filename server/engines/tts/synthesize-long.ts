/**
 * Long text: normalise → chunk at sentence/clause boundaries → synthesise chunk by chunk →
 * short crossfades → yield each chunk's audio as soon as it exists. The first chunk is prepared
 * alone (first audio); later ones in groups (engine.prepareMany: one phonemizer run per group).
 * A chunk the model cannot take in one call (too many tokens) is cut in two and retried, so every
 * chunk's text still joins back into the normalised input exactly. Callers validate the text
 * (lib/text/validate-text) before calling: no model is run on unchecked input.
 */
import { LIMITS } from "@/lib/limits";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import { TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import { StreamingCrossfader } from "@/server/engines/tts/crossfade";
import type { PcmAudio, PreparedInput, SynthesisOptions, TtsEngine } from "@/server/engines/tts/types";

export interface LongSynthesisOptions extends SynthesisOptions {
  maxChunkChars?: number;
  /** A smaller first chunk gets the first audio out sooner; later budgets ramp up from it. */
  firstChunkMaxChars?: number;
  /** Budget growth per chunk after a small first one (default LIMITS.tts.CHUNK_GROWTH). */
  chunkGrowth?: number;
  /** Characters per prepareMany group (default LIMITS.tts.PREPARE_BATCH_MAX_CHARS). */
  prepareBatchMaxChars?: number;
  crossfadeMs?: number;
}

export interface SpeechChunk {
  index: number;
  /** This chunk's normalised text; all chunks' texts join into the normalised input. */
  text: string;
  /** Audio ready to play (crossfaded with its neighbours). */
  audio: PcmAudio;
  progress: { charsDone: number; charsTotal: number };
  /** Pipeline time (phonemize + tokenise) and model time for this chunk, in ms. */
  timings: { prepareMs: number; inferMs: number };
}

type Piece = { text: string; audio: PcmAudio; prepareMs: number; inferMs: number };

/** One chunk; `ready` is its prepared input (and what preparing it cost) when a group made it. */
async function* synthesizeChunk<P extends PreparedInput>(
  engine: TtsEngine<P>,
  text: string,
  options: SynthesisOptions,
  ready?: { prepared: P | TooManyTokensError; prepareMs: number },
): AsyncGenerator<Piece> {
  const started = performance.now();
  let prepared: P;
  try {
    if (ready?.prepared instanceof TooManyTokensError) throw ready.prepared;
    prepared = ready ? ready.prepared : await engine.prepare(text, options);
  } catch (error) {
    if (!(error instanceof TooManyTokensError) || text.length < 2) throw error;
    for (const half of chunkText(text, { maxChars: Math.ceil(text.length / 2) })) {
      yield* synthesizeChunk(engine, half, options);
    }
    return;
  }
  const preparedAt = performance.now();
  const audio = await engine.infer(prepared, options);
  const prepareMs = ready ? ready.prepareMs : preparedAt - started;
  yield { text, audio, prepareMs, inferMs: performance.now() - preparedAt };
}

/** Consecutive chunks in groups of at most maxChars (a longer chunk makes a group alone). */
export function groupChunks(chunks: readonly string[], maxChars: number): string[][] {
  const groups: string[][] = [];
  let chars = 0;
  for (const chunk of chunks) {
    const last = groups.at(-1);
    if (last && chars + chunk.length <= maxChars) {
      last.push(chunk);
      chars += chunk.length;
    } else {
      groups.push([chunk]);
      chars = chunk.length;
    }
  }
  return groups;
}

/** Each chunk with its prepared input: the first alone, the rest group by group as they come up. */
async function* chunksWithInputs<P extends PreparedInput>(
  engine: TtsEngine<P>,
  chunks: readonly string[],
  options: LongSynthesisOptions,
): AsyncGenerator<{ text: string; ready?: { prepared: P | TooManyTokensError; prepareMs: number } }> {
  const [first, ...rest] = chunks;
  if (first === undefined) return;
  yield { text: first };
  const maxChars = options.prepareBatchMaxChars ?? LIMITS.tts.PREPARE_BATCH_MAX_CHARS;
  for (const group of groupChunks(rest, maxChars)) {
    if (!engine.prepareMany || group.length < 2) {
      for (const text of group) yield { text };
      continue;
    }
    options.signal?.throwIfAborted();
    const started = performance.now();
    const prepared = await engine.prepareMany(group, options);
    // The group's time, shared out by characters so the chunks' prepareMs still add up.
    const perChar = (performance.now() - started) / group.reduce((n, text) => n + text.length, 0);
    for (const [index, text] of group.entries()) {
      const each = prepared[index];
      if (each === undefined) throw new Error("prepareMany gave fewer results than texts");
      yield { text, ready: { prepared: each, prepareMs: perChar * text.length } };
    }
  }
}

export async function* synthesizeLong<P extends PreparedInput>(
  engine: TtsEngine<P>,
  text: string,
  options: LongSynthesisOptions,
): AsyncGenerator<SpeechChunk> {
  const normalized = normalizeText(text);
  const chunks = chunkText(normalized, {
    maxChars: options.maxChunkChars ?? LIMITS.tts.CHUNK_MAX_CHARS,
    ...(options.firstChunkMaxChars
      ? {
          firstChunkMaxChars: options.firstChunkMaxChars,
          growth: options.chunkGrowth ?? LIMITS.tts.CHUNK_GROWTH,
        }
      : {}),
  });
  const fadeSamples = Math.round(
    ((options.crossfadeMs ?? LIMITS.tts.CROSSFADE_MS) * engine.sampleRate) / 1000,
  );
  const fader = new StreamingCrossfader(fadeSamples);
  const charsTotal = normalized.length;
  let charsDone = 0;
  let index = 0;
  const emit = (text: string, samples: Float32Array, timings: SpeechChunk["timings"]): SpeechChunk => {
    charsDone += text.length;
    const audio = { samples, sampleRate: engine.sampleRate };
    return { index: index++, text, audio, progress: { charsDone, charsTotal }, timings };
  };
  for await (const { text: chunk, ready } of chunksWithInputs(engine, chunks, options)) {
    options.signal?.throwIfAborted();
    for await (const piece of synthesizeChunk(engine, chunk, options, ready)) {
      // Each piece goes out at once, less the few ms of tail that wait to fade into the next one.
      const timings = { prepareMs: piece.prepareMs, inferMs: piece.inferMs };
      yield emit(piece.text, fader.push(piece.audio.samples, false), timings);
    }
  }
  // The last tail has nothing to fade into: it ends the stream as a chunk with no text.
  const tail = fader.push(new Float32Array(0), true);
  if (tail.length > 0) yield emit("", tail, { prepareMs: 0, inferMs: 0 });
}
