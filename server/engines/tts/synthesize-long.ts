/**
 * Long text: normalise → chunk at sentence/clause boundaries → synthesise chunk by chunk →
 * short crossfades → yield each chunk's audio as soon as it exists. The first chunk is prepared
 * alone (first audio); later ones in groups (engine.prepareMany: one phonemizer run per group),
 * each group while the model is busy with the chunks before it.
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
  /**
   * This chunk's times in ms: phonemize + tokenise (`prepareMs`, its share of its group's run),
   * how long synthesis waited for that (`waitedMs`: less when it ran during earlier model
   * runs), and the model (`inferMs`).
   */
  timings: { prepareMs: number; waitedMs: number; inferMs: number };
}

type Piece = { text: string; audio: PcmAudio } & SpeechChunk["timings"];
/** A chunk's input made ahead of its turn: the prepared ids, or why the model cannot take it. */
type Ready<P> = { prepared: P | TooManyTokensError; prepareMs: number; waitedMs: number };
type GroupInputs<P> = { prepared: (P | TooManyTokensError)[]; ms: number };

/** One chunk; `ready` is its prepared input (and what preparing it cost) when a group made it. */
async function* synthesizeChunk<P extends PreparedInput>(
  engine: TtsEngine<P>,
  text: string,
  options: SynthesisOptions,
  ready?: Ready<P>,
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
  const waitedMs = ready ? ready.waitedMs : prepareMs;
  yield { text, audio, prepareMs, waitedMs, inferMs: performance.now() - preparedAt };
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

/**
 * Each chunk with its prepared input: the first alone, the rest group by group. A group is
 * phonemized while the model speaks the chunks before it (the first group during the first
 * chunk's model run), so with the native phonemizer (another process, another core) a job
 * rarely waits for phonemes; `waitedMs` is the time it did wait.
 */
async function* chunksWithInputs<P extends PreparedInput>(
  engine: TtsEngine<P>,
  chunks: readonly string[],
  options: LongSynthesisOptions,
): AsyncGenerator<{ text: string; ready?: Ready<P> }> {
  const [first, ...rest] = chunks;
  if (first === undefined) return;
  const groups = groupChunks(rest, options.prepareBatchMaxChars ?? LIMITS.tts.PREPARE_BATCH_MAX_CHARS);
  const prepareMany = engine.prepareMany?.bind(engine);
  const startGroup = (group: readonly string[] | undefined): Promise<GroupInputs<P>> | undefined => {
    if (!prepareMany || !group || group.length < 2) return undefined;
    const started = performance.now();
    const pending = prepareMany(group, options).then((prepared) => ({
      prepared,
      ms: performance.now() - started,
    }));
    // A caller that stops early never awaits it: its failure is not an unhandled rejection.
    pending.catch(() => undefined);
    return pending;
  };

  const firstStarted = performance.now();
  let firstReady: Ready<P>;
  try {
    firstReady = { prepared: await engine.prepare(first, options), prepareMs: 0, waitedMs: 0 };
  } catch (error) {
    if (!(error instanceof TooManyTokensError)) throw error;
    firstReady = { prepared: error, prepareMs: 0, waitedMs: 0 };
  }
  firstReady.prepareMs = firstReady.waitedMs = performance.now() - firstStarted;
  let next = startGroup(groups[0]);
  yield { text: first, ready: firstReady };

  for (const [at, group] of groups.entries()) {
    const pending = next;
    if (!pending) {
      next = startGroup(groups[at + 1]);
      for (const text of group) yield { text };
      continue;
    }
    options.signal?.throwIfAborted();
    const waitStarted = performance.now();
    const { prepared, ms } = await pending;
    const waited = performance.now() - waitStarted;
    next = startGroup(groups[at + 1]);
    // The group's times, shared out by characters so the chunks' times still add up.
    const chars = group.reduce((n, text) => n + text.length, 0);
    for (const [index, text] of group.entries()) {
      const each = prepared[index];
      if (each === undefined) throw new Error("prepareMany gave fewer results than texts");
      const share = text.length / chars;
      yield { text, ready: { prepared: each, prepareMs: ms * share, waitedMs: waited * share } };
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
      const timings = { prepareMs: piece.prepareMs, waitedMs: piece.waitedMs, inferMs: piece.inferMs };
      yield emit(piece.text, fader.push(piece.audio.samples, false), timings);
    }
  }
  // The last tail has nothing to fade into: it ends the stream as a chunk with no text.
  const tail = fader.push(new Float32Array(0), true);
  if (tail.length > 0) yield emit("", tail, { prepareMs: 0, waitedMs: 0, inferMs: 0 });
}
