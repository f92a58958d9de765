import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { maxCharsForTier, textIssuesToErrorIssues, validateText } from "@/lib/text/validate-text";

function firstIssue(text: string, options = {}) {
  const result = validateText(text, options);
  if (result.ok) throw new Error("expected a rejection");
  return result.issues[0];
}

describe("validateText", () => {
  it("accepts ordinary English with punctuation, symbols and accents", () => {
    const text = "Café “naïve” façade: $5, 10% & more — right? (Yes!) © 2024\n\tTabbed.";
    expect(validateText(text)).toEqual({ ok: true, length: [...text].length });
  });

  it("names the code-point position and the character of a control character", () => {
    // The emoji before it is two UTF-16 units but one code point.
    const issue = firstIssue("ab😀c\u0007d", { language: "any" });
    expect(issue).toMatchObject({ code: "control_character", position: 4, character: "U+0007" });
    expect(issue?.message).toContain("U+0007");
    expect(issue?.message).toContain("position 4");
  });

  it("rejects C1 controls and DEL", () => {
    expect(firstIssue("a\u0085b")).toMatchObject({ code: "control_character", character: "U+0085" });
    expect(firstIssue("a\u007fb")).toMatchObject({ code: "control_character", character: "U+007F" });
  });

  it("rejects unpaired surrogates, high and low", () => {
    expect(firstIssue("ab\ud800c")).toMatchObject({
      code: "unpaired_surrogate",
      position: 2,
      character: "U+D800",
    });
    expect(firstIssue("\udc00")).toMatchObject({
      code: "unpaired_surrogate",
      position: 0,
      character: "U+DC00",
    });
    expect(firstIssue("x\ud83d")).toMatchObject({ code: "unpaired_surrogate", position: 1 });
  });

  it("rejects every bidi override and isolate", () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      const issue = firstIssue(`abc${String.fromCodePoint(cp)}def`);
      expect(issue).toMatchObject({ code: "bidi_override", position: 3 });
      expect(issue?.character).toBe(`U+${cp.toString(16).toUpperCase()}`);
    }
  });

  it("allows a single zero-width joiner but not a run", () => {
    expect(validateText("a\u200db", { language: "any" }).ok).toBe(true);
    const issue = firstIssue("ab\u200b\u200c\u200dc");
    expect(LIMITS.tts.ZERO_WIDTH_MAX_RUN).toBe(1);
    expect(issue).toMatchObject({ code: "zero_width_run", position: 3, character: "U+200C" });
  });

  it("applies the English allowed-character policy, and the any-script policy", () => {
    expect(firstIssue("Hello мир")).toMatchObject({
      code: "disallowed_character",
      position: 6,
      character: "U+043C",
    });
    expect(firstIssue("smile 😀")).toMatchObject({ code: "disallowed_character", character: "U+1F600" });
    expect(validateText("Hello мир, 你好", { language: "any" }).ok).toBe(true);
  });

  it("enforces the per-tier length limits from the policy table", () => {
    expect(maxCharsForTier("preview")).toBe(LIMITS.tts.PREVIEW_MAX_CHARS);
    expect(maxCharsForTier("free")).toBe(LIMITS.tts.FREE_MAX_CHARS);
    expect(validateText("a".repeat(LIMITS.tts.PREVIEW_MAX_CHARS), { tier: "preview" }).ok).toBe(true);
    expect(firstIssue("a".repeat(LIMITS.tts.PREVIEW_MAX_CHARS + 1), { tier: "preview" })?.code).toBe(
      "too_long",
    );
    // Counted in code points: 300 astral characters are 600 UTF-16 units and still fit.
    expect(validateText("😀".repeat(300), { tier: "preview", language: "any" }).ok).toBe(true);
    expect(firstIssue("a".repeat(LIMITS.tts.PRO_MAX_CHARS * 2 + 1), { tier: "pro" })?.code).toBe("too_long");
  });

  it("rejects empty and whitespace-only text", () => {
    expect(firstIssue("")?.code).toBe("empty");
    expect(firstIssue(" \n\t ")?.code).toBe("empty");
  });

  it("caps the number of issues and maps them onto the input field", () => {
    const result = validateText("\u0001".repeat(1000));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(LIMITS.tts.MAX_TEXT_ISSUES);
    const wire = textIssuesToErrorIssues(result.issues);
    expect(wire[0]).toEqual({
      path: "input",
      message: "Control character U+0001 at position 0 is not allowed",
    });
  });

  it("checks the largest text in linear time", () => {
    const text = "The quick brown fox. ".repeat(LIMITS.tts.PRO_MAX_CHARS / 25);
    const started = performance.now();
    expect(validateText(text, { tier: "pro" }).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
