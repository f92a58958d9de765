/**
 * Generated Whisper tokens → timed pieces. Timestamp tokens open and close segments
 * (<|0.00|> text <|2.40|><|2.40|> text <|5.00|>); without them a window is one segment.
 * Word grouping joins sub-word tokens at the spaces the tokenizer writes before each word.
 */

/** Whisper's timestamp tokens step by 20 ms. */
export const TIME_PRECISION = 0.02;

export interface TokenSegment {
  /** Seconds from the window's start. */
  start: number;
  end: number;
  /** Text tokens only (no timestamps, no end-of-text). */
  tokens: number[];
  /** Indices of those tokens within the generated sequence (to find their log-probabilities). */
  positions: number[];
}

export function splitSegments(
  generated: readonly number[],
  timestampBegin: number,
  eot: number,
  windowSeconds: number,
): TokenSegment[] {
  const segments: TokenSegment[] = [];
  let start: number | null = null;
  let lastTime = 0;
  let tokens: number[] = [];
  let positions: number[] = [];
  const clamp = (seconds: number) => Math.min(windowSeconds, Math.max(0, seconds));

  for (const [index, token] of generated.entries()) {
    if (token >= timestampBegin) {
      // Round to the 20 ms grid: (150 - 100) * 0.02 is 1.0000000000000002 in floating point.
      const time = clamp(Math.round((token - timestampBegin) * TIME_PRECISION * 100) / 100);
      lastTime = time;
      if (start !== null && tokens.length > 0) {
        segments.push({ start, end: Math.max(start, time), tokens, positions });
        tokens = [];
        positions = [];
        start = null;
      } else {
        start = time;
      }
    } else if (token < eot) {
      tokens.push(token);
      positions.push(index);
    }
  }
  if (tokens.length > 0) {
    // Text after the last timestamp (or no timestamps at all) runs to the end of the window.
    const from = start ?? lastTime;
    segments.push({ start: from, end: Math.max(from, windowSeconds), tokens, positions });
  }
  return segments;
}

export interface TimedText {
  text: string;
  start: number;
  end: number;
}

/**
 * Token times spread over a span in proportion to each token's length in characters (at least
 * one each): the estimate used when the model exports no cross-attentions to align with.
 */
export function estimateTokenTimes(texts: readonly string[], start: number, end: number): TimedText[] {
  const weights = texts.map((text) => Math.max(1, text.trim().length));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const span = Math.max(0, end - start);
  let at = start;
  return texts.map((text, index) => {
    const from = at;
    at = index === texts.length - 1 ? end : at + (span * (weights[index] ?? 1)) / total;
    const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
    return { text, start: round(from), end: round(at) };
  });
}

/**
 * Joins timed token texts into words: a token that starts with a space (or is the first) starts
 * a word; punctuation-only tokens stay with the word before them.
 */
export function groupWords(pieces: readonly TimedText[]): TimedText[] {
  const words: TimedText[] = [];
  for (const piece of pieces) {
    const current = words.at(-1);
    const startsWord = /^\s/.test(piece.text) || !current;
    const punctuation = /^[\p{P}\p{S}]+$/u.test(piece.text.trim());
    if (current && (!startsWord || (punctuation && piece.text.trim() === piece.text))) {
      current.text += piece.text;
      current.end = Math.max(current.end, piece.end);
    } else if (piece.text.trim()) {
      words.push({ text: piece.text.trim(), start: piece.start, end: piece.end });
    }
  }
  return words.map((word) => ({ ...word, text: word.text.trim() }));
}
