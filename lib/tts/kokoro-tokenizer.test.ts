import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { kokoroTokenize, parseKokoroVocab, TooManyTokensError } from "@/lib/tts/kokoro-tokenizer";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const readJson = (...parts: string[]) =>
  JSON.parse(readFileSync(path.join(MODEL_MIRROR_DIR, ...parts), "utf8"));

describe.skipIf(!hasModelMirror)("kokoroTokenize with the real Kokoro v1.0 vocabulary", () => {
  const vocab = parseKokoroVocab(readJson("kokoro-82m-v1.0-voices", "config.json"));

  it("gives the fixture's golden ids for its golden phonemes, pads at both ends", () => {
    const golden = readJson("test", "kokoro-signature-random", "golden.json");
    // The golden ids spell "həlˈoʊ wˈɜ" in the Kokoro vocabulary.
    const { ids, dropped } = kokoroTokenize("həlˈoʊ wˈɜ", vocab);
    expect([...ids].map(Number)).toEqual(golden.input_ids);
    expect(dropped).toBe(0);
  });

  it("agrees with the reconstructed tokenizer.json's vocabulary for every symbol", () => {
    const tokenizer = readJson("test", "kokoro-signature-random", "tokenizer.json");
    for (const [symbol, id] of Object.entries(tokenizer.model.vocab as Record<string, number>)) {
      if (symbol === "$") continue;
      expect(vocab.get(symbol), symbol).toBe(id);
    }
  });

  it("drops symbols outside the vocabulary and counts them", () => {
    const { ids, dropped } = kokoroTokenize("a#b", vocab);
    expect([...ids].map(Number)).toEqual([0, 43, 44, 0]);
    expect(dropped).toBe(1);
  });

  it("refuses more than 510 ids including the pads", () => {
    expect(kokoroTokenize("a".repeat(LIMITS.tts.KOKORO_MAX_TOKENS - 2), vocab).ids).toHaveLength(510);
    expect(() => kokoroTokenize("a".repeat(LIMITS.tts.KOKORO_MAX_TOKENS - 1), vocab)).toThrow(
      TooManyTokensError,
    );
  });

  it("rejects a config without a valid vocabulary", () => {
    expect(() => parseKokoroVocab({ vocab: { a: "1" } })).toThrow();
    expect(() => parseKokoroVocab({ model_type: "style_text_to_speech_2" })).toThrow();
  });
});
