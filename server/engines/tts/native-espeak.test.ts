/**
 * The backend's native phonemizer must give the engines exactly what the WASM build gives the
 * browser: the same IPA lines, and the same Kokoro phoneme strings after punctuation and fix-ups.
 */
import { describe, expect, it } from "vitest";
import {
  espeakIpa,
  type IpaSource,
  phonemizeForKokoro,
  phonemizeKeepingPunctuation,
  phonemizeManyKeepingPunctuation,
  splitAtPunctuation,
} from "@/lib/tts/phonemize";
import { PHONEMIZE_CORPUS } from "@/lib/tts/phonemize-corpus";
import { nativeEspeakIpa } from "@/server/engines/tts/native-espeak";

const PUNCTUATED =
  "On March third, Dr. Alvarez spoke; the hall (packed!) listened. “Costs fell by thirty-five percent,” she said… Really? Yes.";

describe("nativeEspeakIpa", () => {
  it("phonemizes a chunk's sections in one run, each line being its section's IPA", async () => {
    const sections = splitAtPunctuation(PUNCTUATED)
      .filter((section) => !section.punctuation && section.text.trim())
      .map((section) => section.text);
    expect(sections.length).toBeGreaterThan(5);
    const batched = await nativeEspeakIpa.batch?.(sections, "en-us");
    expect(batched).toBeDefined();
    const alone = await Promise.all(sections.map(async (text) => (await espeakIpa(text, "en-us")).join(" ")));
    expect(batched).toEqual(alone);
    // A text that cannot be mapped back line for line is not batched.
    expect(await nativeEspeakIpa.batch?.(["one\ntwo", "three"], "en-us")).toBeUndefined();
  });

  it("phonemizes many chunks in one run, each exactly as it is alone", async () => {
    let runs = 0;
    const counting: IpaSource = Object.assign(
      (text: string, language: "en-us" | "en-gb") => {
        runs++;
        return nativeEspeakIpa(text, language);
      },
      {
        batch: (texts: readonly string[], language: "en-us" | "en-gb") => {
          runs++;
          return nativeEspeakIpa.batch?.(texts, language) ?? Promise.resolve(undefined);
        },
      },
    );
    const texts = [PUNCTUATED, ...PHONEMIZE_CORPUS.slice(0, 6), "", "  "];
    const alone = [];
    for (const text of texts) alone.push(await phonemizeKeepingPunctuation(text, "en-us", nativeEspeakIpa));
    expect(await phonemizeManyKeepingPunctuation(texts, "en-us", counting)).toEqual(alone);
    expect(runs).toBe(1);
    // A text that cannot be batched line for line sends every section alone, with the same result.
    runs = 0;
    const split = [...texts.slice(0, 3), "one\ntwo"];
    const separately = [];
    for (const text of split) separately.push(await phonemizeKeepingPunctuation(text, "en-us", espeakIpa));
    expect(await phonemizeManyKeepingPunctuation(split, "en-us", counting)).toEqual(separately);
    expect(runs).toBeGreaterThan(split.length);
  });

  for (const language of ["en-us", "en-gb"] as const) {
    it(`prints the WASM build's IPA lines for the golden corpus in ${language}`, async () => {
      for (const sentence of PHONEMIZE_CORPUS) {
        expect(await nativeEspeakIpa(sentence, language), sentence).toEqual(
          await espeakIpa(sentence, language),
        );
      }
    });

    it(`gives Kokoro the same phonemes as the WASM build in ${language}`, async () => {
      for (const text of [PUNCTUATED, ...PHONEMIZE_CORPUS]) {
        expect(await phonemizeForKokoro(text, language, nativeEspeakIpa), text).toBe(
          await phonemizeForKokoro(text, language, espeakIpa),
        );
      }
    });
  }
});
