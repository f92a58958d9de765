import { describe, expect, it } from "vitest";
import { chunkText, splitPieces } from "@/lib/text/chunk";

const paragraph =
  "Dr. Jones arrived. She said: “We leave at dawn, whatever happens; no excuses!” Then silence… " +
  "Everyone waited (some patiently, some not), and the clock ticked on.\n\nA new paragraph begins here? Yes.";

describe("chunkText", () => {
  it("joins back to the input exactly, whatever the budget", () => {
    for (const maxChars of [2, 3, 7, 20, 40, 80, 300, 10_000]) {
      const chunks = chunkText(paragraph, { maxChars });
      expect(chunks.join("")).toBe(paragraph);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(maxChars);
    }
  });

  it("cuts at sentence ends first, keeping punctuation and spaces on the left", () => {
    expect(splitPieces("One. Two! Three? Four", 100)).toEqual(["One. ", "Two! ", "Three? ", "Four"]);
    expect(splitPieces("Hi (there.) Next", 100)).toEqual(["Hi (there.) ", "Next"]);
    expect(splitPieces("Line one\nLine two", 100)).toEqual(["Line one\n", "Line two"]);
    // Not a sentence end: no space after the period.
    expect(splitPieces("version 1.2 ok", 100)).toEqual(["version 1.2 ok"]);
  });

  it("cuts an over-long sentence at clauses, then spaces, then inside a word", () => {
    expect(splitPieces("alpha beta, gamma delta; epsilon", 14)).toEqual([
      "alpha beta, ",
      "gamma delta; ",
      "epsilon",
    ]);
    expect(splitPieces("aaaa bbbb cccc dddd", 10)).toEqual(["aaaa ", "bbbb ", "cccc ", "dddd"]);
    expect(splitPieces("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("never splits a surrogate pair", () => {
    const text = "😀".repeat(9);
    const chunks = chunkText(text, { maxChars: 5 });
    expect(chunks.join("")).toBe(text);
    for (const chunk of chunks) expect(chunk.isWellFormed()).toBe(true);
  });

  it("packs sentences up to the budget, with a smaller first chunk for fast first audio", () => {
    const text = "One two. Three four. Five six. Seven eight. ";
    expect(chunkText(text, { maxChars: 30, firstChunkMaxChars: 10 })).toEqual([
      "One two. ",
      "Three four. Five six. ",
      "Seven eight. ",
    ]);
  });

  it("ramps chunk budgets up from the first chunk's, each under its own budget", () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} is short, and it ends here.`).join(
      " ",
    );
    const chunks = chunkText(text, { maxChars: 300, firstChunkMaxChars: 100, growth: 1.5 });
    expect(chunks.join("")).toBe(text);
    const budgets = [100, 150, 225, 300, 300];
    for (const [index, chunk] of chunks.entries())
      expect(chunk.length, `chunk ${index}`).toBeLessThanOrEqual(budgets[Math.min(index, 4)] ?? 300);
    // Packed close to each budget (sentences here are ~45 characters): the ramp really grows.
    for (const [index, budget] of budgets.slice(0, 4).entries())
      expect(chunks[index]?.length ?? 0).toBeGreaterThan(budget - 50);
  });

  it("cuts a first sentence longer than the first budget at a clause, not after it", () => {
    const text =
      "When the long first sentence finally begins, it wanders on through clause after clause, " +
      "and only much later, after a great many words, does it come to its end. Then a short one.";
    const chunks = chunkText(text, { maxChars: 300, firstChunkMaxChars: 60 });
    expect(chunks.join("")).toBe(text);
    expect(chunks[0]).toBe("When the long first sentence finally begins, ");
  });

  it("handles empty and whitespace-only text", () => {
    expect(chunkText("")).toEqual([]);
    expect(chunkText("   ").join("")).toBe("   ");
  });
});
