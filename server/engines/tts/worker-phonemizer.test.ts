/**
 * The workers' phonemizer: native espeak-ng until the in-process build is warm, then the
 * in-process build for short texts only; the phonemes Kokoro gets are the same either way.
 */
import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { phonemizeForKokoro } from "@/lib/tts/phonemize";
import { nativeEspeakIpa } from "@/server/engines/tts/native-espeak";
import { phonemizerFor, warmUpWorkerPhonemizer, workerIpa } from "@/server/engines/tts/worker-phonemizer";

const SHORT = "On March 3rd, Dr. Smith paid $12.50 for two teas. Would you like some?";
const LONG = Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} reads on, clause after clause.`).join(
  " ",
);

describe("worker phonemizer", () => {
  it("sends everything to native espeak-ng until the in-process build is warm, then short texts in-process", async () => {
    expect(SHORT.length).toBeLessThanOrEqual(LIMITS.tts.IN_PROCESS_PHONEMIZE_MAX_CHARS);
    expect(LONG.length).toBeGreaterThan(LIMITS.tts.IN_PROCESS_PHONEMIZE_MAX_CHARS);
    expect(phonemizerFor(SHORT)).toBe("native");
    await warmUpWorkerPhonemizer();
    expect(phonemizerFor(SHORT)).toBe("in-process");
    expect(phonemizerFor("x".repeat(LIMITS.tts.IN_PROCESS_PHONEMIZE_MAX_CHARS))).toBe("in-process");
    expect(phonemizerFor("x".repeat(LIMITS.tts.IN_PROCESS_PHONEMIZE_MAX_CHARS + 1))).toBe("native");
    expect(phonemizerFor(LONG)).toBe("native");
  });

  it("gives Kokoro the native binary's phonemes whichever build answers", async () => {
    await warmUpWorkerPhonemizer();
    for (const text of [SHORT, LONG]) {
      expect(await phonemizeForKokoro(text, "en-us", workerIpa), text).toBe(
        await phonemizeForKokoro(text, "en-us", nativeEspeakIpa),
      );
    }
    expect(workerIpa.batch).toBe(nativeEspeakIpa.batch);
  });
});
