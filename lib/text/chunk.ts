/**
 * Cuts normalised text into chunks a model can take: at sentence ends first, then clause
 * punctuation, then spaces, and only as a last resort inside a word. Every cut keeps its
 * punctuation and trailing whitespace on the left, so `chunks.join("") === text` always.
 * Each level is one linear scan; lengths are UTF-16 units (never fewer than code points, so the
 * budget is never exceeded in code points either) and a surrogate pair is never split.
 */
import { LIMITS } from "@/lib/limits";

export interface ChunkOptions {
  /** No chunk is longer than this (UTF-16 units). */
  maxChars?: number;
  /** The first chunk is packed only up to this, so the first audio comes sooner. */
  firstChunkMaxChars?: number;
  /**
   * Each chunk's budget is the one before times this, up to maxChars (by default every chunk
   * after the first gets maxChars at once). A ramp keeps a stream from going silent while a big second
   * chunk is made behind a short first one.
   */
  growth?: number;
}

const SENTENCE_END = new Set([".", "!", "?", "…", "。", "！", "？"]);
const CLAUSE_END = new Set([",", ";", ":", "—", "–", "、", "，", "；"]);
const CLOSERS = new Set([")", "]", "}", '"', "'", "”", "’", "»"]);

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000;
}

/** Start offsets of the pieces after each run of `ends` (+ closers) followed by whitespace or a newline. */
function cutsAfter(text: string, ends: ReadonlySet<string>, cutAtNewline: boolean): number[] {
  const cuts: number[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    const newline = cutAtNewline && char === "\n";
    if (!newline && !ends.has(char)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && ends.has(text.charAt(j))) j++;
    while (j < text.length && CLOSERS.has(text.charAt(j))) j++;
    if (newline || j >= text.length || isSpace(text.charCodeAt(j))) {
      while (j < text.length && isSpace(text.charCodeAt(j))) j++;
      if (j < text.length) cuts.push(j);
    }
    i = j;
  }
  return cuts;
}

function cutsAfterSpaces(text: string): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < text.length; i++) {
    if (!isSpace(text.charCodeAt(i)) && isSpace(text.charCodeAt(i - 1))) cuts.push(i);
  }
  return cuts;
}

function hardCuts(text: string, max: number): number[] {
  const cuts: number[] = [];
  let at = max;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    // Never leave a high surrogate at the end of a piece.
    if (code >= 0xdc00 && code <= 0xdfff) at--;
    cuts.push(at);
    at += max;
  }
  return cuts;
}

function slice(text: string, cuts: readonly number[]): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  pieces.push(text.slice(start));
  return pieces;
}

const LEVELS: ((text: string, max: number) => number[])[] = [
  (text) => cutsAfter(text, SENTENCE_END, true),
  (text) => cutsAfter(text, CLAUSE_END, false),
  (text) => cutsAfterSpaces(text),
  (text, max) => hardCuts(text, max),
];

function fitPiece(text: string, max: number, level: number, into: string[]): void {
  if (text.length <= max || level >= LEVELS.length) {
    into.push(text);
    return;
  }
  const split = LEVELS[level];
  const pieces = split ? slice(text, split(text, max)) : [text];
  for (const piece of pieces) fitPiece(piece, max, level + 1, into);
}

/** Sentence-level pieces (each cut further only where it is over budget), in order. */
export function splitPieces(text: string, maxChars: number): string[] {
  if (maxChars < 2) throw new RangeError("maxChars must be at least 2");
  const pieces: string[] = [];
  for (const sentence of slice(text, LEVELS[0]?.(text, maxChars) ?? []))
    fitPiece(sentence, maxChars, 1, pieces);
  return pieces.filter((piece) => piece.length > 0);
}

/**
 * Chunks under their budgets whose concatenation is exactly `text`. A sentence longer than the
 * budget of the chunk it would start is cut at clauses (then words) to fit that budget.
 */
export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  const max = options.maxChars ?? LIMITS.tts.CHUNK_MAX_CHARS;
  const firstMax = Math.min(options.firstChunkMaxChars ?? max, max);
  const budgetOf = (index: number) =>
    index === 0
      ? firstMax
      : options.growth
        ? Math.min(max, Math.floor(firstMax * options.growth ** index))
        : max;
  const chunks: string[] = [];
  const pieces = splitPieces(text, max).reverse(); // a stack: the next piece is at the end
  let current = "";
  for (let piece = pieces.pop(); piece !== undefined; piece = pieces.pop()) {
    const budget = budgetOf(chunks.length);
    if (current && current.length + piece.length > budget) {
      chunks.push(current);
      current = "";
      pieces.push(piece); // it starts the next chunk, under that chunk's budget
      continue;
    }
    if (!current && piece.length > budget) {
      const [head = "", ...tail] = splitPieces(piece, budget);
      pieces.push(...tail.reverse());
      piece = head;
    }
    current += piece;
  }
  if (current) chunks.push(current);
  return chunks;
}
