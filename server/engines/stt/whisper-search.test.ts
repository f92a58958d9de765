import { describe, expect, it } from "vitest";
import { applyLogitRules, type LogitRules } from "@/server/engines/stt/whisper-logits";
import { type StepFn, searchTokens } from "@/server/engines/stt/whisper-search";
import { groupWords, splitSegments } from "@/server/engines/stt/whisper-tokens";

const EOT = 5;
const VOCAB = 10;
const rules: LogitRules = { eot: EOT, suppress: [], beginSuppress: [] };

/** A toy decoder: the next-token distribution depends only on the sequence so far. */
function toy(table: Record<string, number[]>): StepFn<number[], never> {
  return async (input, cache) => {
    const sequence = [...(cache ?? []), ...input];
    const probs = table[sequence.join(",")] ?? [0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
    const logits = Float32Array.from({ length: VOCAB }, (_, i) => Math.log(probs[i] ?? 0));
    return { logits, rows: 1, vocab: VOCAB, cache: sequence };
  };
}

// Greedy takes 1 (p 0.5) and then faces a flat 0.25/0.25/0.25/0.25; beam search finds 2 → 3
// (0.4 × 1.0), the better sequence.
const table: Record<string, number[]> = {
  "9": [0, 0.5, 0.4, 0.1, 0, 0, 0, 0, 0, 0],
  "9,1": [0, 0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0],
  "9,1,1": [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
  "9,2": [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
  "9,2,3": [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
};

describe("searchTokens", () => {
  it("greedy takes the best token each step", async () => {
    const result = await searchTokens(toy(table), {
      prompt: [9],
      maxNewTokens: 10,
      numBeams: 1,
      temperature: 0,
      rules,
    });
    expect(result.tokens).toEqual([1, 1]);
    expect(result.finished).toBe(true);
  });

  it("beam search finds the more likely sequence greedy misses", async () => {
    const result = await searchTokens(toy(table), {
      prompt: [9],
      maxNewTokens: 10,
      numBeams: 3,
      temperature: 0,
      rules,
    });
    expect(result.tokens).toEqual([2, 3]);
    expect(result.finished).toBe(true);
    expect(result.logprobs.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.log(0.4), 5);
  });

  it("stops at maxNewTokens and when cancelled", async () => {
    const result = await searchTokens(toy(table), {
      prompt: [9],
      maxNewTokens: 1,
      numBeams: 1,
      temperature: 0,
      rules,
    });
    expect(result).toMatchObject({ tokens: [1], finished: false });
    const controller = new AbortController();
    controller.abort();
    await expect(
      searchTokens(toy(table), {
        prompt: [9],
        maxNewTokens: 5,
        numBeams: 1,
        temperature: 0,
        rules,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
  });

  it("samples at a temperature", async () => {
    const result = await searchTokens(toy(table), {
      prompt: [9],
      maxNewTokens: 5,
      numBeams: 1,
      temperature: 1,
      rules,
      random: () => 0.99,
    });
    expect(result.tokens[0]).toBe(3);
  });
});

describe("logit rules", () => {
  const TB = 100;
  const timestamped: LogitRules = {
    eot: 50,
    suppress: [7],
    beginSuppress: [8],
    timestamps: { noTimestamps: 99, timestampBegin: TB, maxInitialIndex: 5 },
  };
  const flat = () => new Float32Array(200);
  const allowed = (logits: Float32Array) =>
    [...logits.keys()].filter((i) => logits[i] !== Number.NEGATIVE_INFINITY);

  it("starts with a timestamp no later than the initial bound", () => {
    const logits = flat();
    applyLogitRules(logits, [], timestamped);
    expect(allowed(logits)).toEqual([100, 101, 102, 103, 104, 105]);
  });

  it("keeps timestamps paired and never going backwards", () => {
    const afterText = flat();
    applyLogitRules(afterText, [102, 10], timestamped);
    expect(allowed(afterText).filter((i) => i >= TB)[0]).toBe(103);
    const afterClose = flat();
    applyLogitRules(afterClose, [102, 10, 110], timestamped);
    // After a closing timestamp: another timestamp (≥ it) to open the next segment, or the end.
    expect(allowed(afterClose).every((i) => i === 50 || i >= 110)).toBe(true);
    const afterPair = flat();
    applyLogitRules(afterPair, [102, 10, 110, 110], timestamped);
    expect(allowed(afterPair).every((i) => i < TB)).toBe(true);
  });

  it("suppresses the suppress list always and the begin list first", () => {
    const logits = flat();
    applyLogitRules(logits, [], { eot: 50, suppress: [7], beginSuppress: [8] });
    expect(logits[7]).toBe(Number.NEGATIVE_INFINITY);
    expect(logits[8]).toBe(Number.NEGATIVE_INFINITY);
    const later = flat();
    applyLogitRules(later, [1], { eot: 50, suppress: [7], beginSuppress: [8] });
    expect(later[8]).toBe(0);
  });
});

describe("tokens to segments and words", () => {
  it("splits on timestamp pairs and runs trailing text to the window's end", () => {
    const segments = splitSegments([100, 1, 2, 150, 150, 3, 200, 4], 100, 50, 10);
    expect(segments).toEqual([
      { start: 0, end: 1, tokens: [1, 2], positions: [1, 2] },
      { start: 1, end: 2, tokens: [3], positions: [5] },
      { start: 2, end: 10, tokens: [4], positions: [7] },
    ]);
    expect(splitSegments([1, 2, 3], 100, 50, 4)).toEqual([
      { start: 0, end: 4, tokens: [1, 2, 3], positions: [0, 1, 2] },
    ]);
    expect(splitSegments([], 100, 50, 4)).toEqual([]);
  });

  it("joins sub-word pieces and punctuation into words", () => {
    const words = groupWords([
      { text: " Hel", start: 0, end: 0.2 },
      { text: "lo", start: 0.2, end: 0.4 },
      { text: ",", start: 0.4, end: 0.45 },
      { text: " world", start: 0.5, end: 0.9 },
      { text: ".", start: 0.9, end: 1 },
    ]);
    expect(words).toEqual([
      { text: "Hello,", start: 0, end: 0.45 },
      { text: "world.", start: 0.5, end: 1 },
    ]);
  });
});
