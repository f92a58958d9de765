/**
 * Hostile inputs for the whole text front end. Each runs under a wall-clock bound far above what
 * linear code needs on a slow machine and far below what a quadratic or backtracking pass takes.
 */
import { describe, expect, it } from "vitest";
import { chunkText } from "@/lib/text/chunk";
import { normalizeText } from "@/lib/text/normalize";
import { validateText } from "@/lib/text/validate-text";

const BOUND_MS = 1500;

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

const hostile: [string, string][] = [
  ["50,000 digits", "7".repeat(50_000)],
  ["50,000 digits with separators", "1,".repeat(25_000)],
  ["digit-dot alternation (ReDoS for /(\\d+\\.?)+$/)", `${"1.".repeat(25_000)}x`],
  ["grouped number that fails at the end", `${"123,".repeat(12_000)}12`],
  ["nested brackets", `${"(".repeat(25_000)}x${")".repeat(25_000)}`],
  ["space-dot runs (ReDoS for /(\\s*\\.)+$/)", `${" .".repeat(25_000)}!`],
  ["one 50,000-letter word", "a".repeat(50_000)],
  ["ellipsis flood", "…".repeat(50_000)],
  ["currency symbols without amounts", "$€£".repeat(16_000)],
  ["abbreviations back to back", "Dr. St. e.g. ".repeat(4_000)],
  ["times and dates", "12:30 2024-01-01 3/4/2025 ".repeat(2_000)],
];

describe("the text front end on adversarial input", () => {
  it.each(hostile)("%s: validate, normalise and chunk in linear time", (_name, input) => {
    const check = timed(() => validateText(input));
    expect(check.ms).toBeLessThan(BOUND_MS);
    const normalized = timed(() => normalizeText(input));
    expect(normalized.ms).toBeLessThan(BOUND_MS);
    const chunks = timed(() => chunkText(normalized.result));
    expect(chunks.ms).toBeLessThan(BOUND_MS);
    expect(chunks.result.join("")).toBe(normalized.result);
    for (const chunk of chunks.result) expect(chunk.length).toBeLessThanOrEqual(300);
  });

  it("doubling the input roughly doubles the time (no quadratic pass)", () => {
    const unit = "On March 3, 2024 Dr. Lee paid $1,234.56 (50%) at 10:30 pm; e.g. 1st and 2nd. ";
    const small = unit.repeat(300);
    const large = unit.repeat(2400);
    // The fastest of a few runs each: load from other processes only ever adds time, and one
    // stall in a single timing was enough to fail this on a busy machine.
    const fastest = (text: string) =>
      Math.min(...Array.from({ length: 5 }, () => timed(() => chunkText(normalizeText(text))).ms));
    const a = fastest(small);
    const b = fastest(large);
    // 8x the input; linear is ~8x, quadratic would be ~64x. Allow generous noise.
    expect(b).toBeLessThan(Math.max(a, 1) * 30);
  });
});
