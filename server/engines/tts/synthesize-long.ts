/**
 * Long text: normalise → chunk at sentence/clause boundaries → synthesise chunk by chunk →
 * short crossfades → yield each chunk's audio as soon as it exists. A chunk the model cannot take
 * in one call (too many tokens) is cut in two and retried, so every chunk's text still joins
 * back into the normalised input exactly. Callers validate the text (lib/text/validate-text)
 * before calling: no model is run on unchecked input.
 */
import { LIMITS } from "@/lib/limits";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import { TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import { StreamingCrossfader } from "@/server/engines/tts/crossfade";
import type { PcmAudio, PreparedInput, SynthesisOptions, TtsEngine } from "@/server/engines/tts/types";

export interface LongSynthesisOptions extends SynthesisOptions {
  maxChunkChars?: number;
  /** A smaller first chunk gets the first audio out sooner. */
  firstChunkMaxChars?: number;
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

async function* synthesizeChunk<P extends PreparedInput>(
  engine: TtsEngine<P>,
  text: string,
  options: SynthesisOptions,
): AsyncGenerator<{ text: string; audio: PcmAudio; prepareMs: number; inferMs: number }> {
  const started = performance.now();
  let prepared: P;
  try {
    prepared = await engine.prepare(text, options);
  } catch (error) {
    if (!(error instanceof TooManyTokensError) || text.length < 2) throw error;
    for (const half of chunkText(text, { maxChars: Math.ceil(text.length / 2) })) {
      yield* synthesizeChunk(engine, half, options);
    }
    return;
  }
  const preparedAt = performance.now();
  const audio = await engine.infer(prepared, options);
  yield { text, audio, prepareMs: preparedAt - started, inferMs: performance.now() - preparedAt };
}

export async function* synthesizeLong<P extends PreparedInput>(
  engine: TtsEngine<P>,
  text: string,
  options: LongSynthesisOptions,
): AsyncGenerator<SpeechChunk> {
  const normalized = normalizeText(text);
  const chunks = chunkText(normalized, {
    maxChars: options.maxChunkChars ?? LIMITS.tts.CHUNK_MAX_CHARS,
    ...(options.firstChunkMaxChars ? { firstChunkMaxChars: options.firstChunkMaxChars } : {}),
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
  for (const chunk of chunks) {
    options.signal?.throwIfAborted();
    for await (const piece of synthesizeChunk(engine, chunk, options)) {
      // Each piece goes out at once, less the few ms of tail that wait to fade into the next one.
      const timings = { prepareMs: piece.prepareMs, inferMs: piece.inferMs };
      yield emit(piece.text, fader.push(piece.audio.samples, false), timings);
    }
  }
  // The last tail has nothing to fade into: it ends the stream as a chunk with no text.
  const tail = fader.push(new Float32Array(0), true);
  if (tail.length > 0) yield emit("", tail, { prepareMs: 0, inferMs: 0 });
}
