import { describe, expect, it } from "vitest";
import { LIMITS } from "@/lib/limits";
import { needsFallback, temperatureSchedule } from "@/server/engines/stt/temperature-fallback";

const fine = { avgLogprob: -0.3, compressionRatio: 1.6, noSpeechProb: 0.01 };

describe("temperature fallback (openai/whisper's rule)", () => {
  it("climbs from the given temperature to 1 in fixed steps", () => {
    expect(temperatureSchedule(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(temperatureSchedule(0.5)).toEqual([0.5, 0.7, 0.9]);
    expect(temperatureSchedule(1)).toEqual([1]);
  });

  it("keeps a decode that is neither repetitive nor doubtful", () => {
    expect(needsFallback(fine)).toBe(false);
  });

  it("retries a repetitive decode", () => {
    const ratio = LIMITS.stt.FALLBACK_MAX_COMPRESSION_RATIO;
    expect(needsFallback({ ...fine, compressionRatio: ratio + 0.01 })).toBe(true);
    expect(needsFallback({ ...fine, compressionRatio: ratio })).toBe(false);
  });

  it("retries a doubtful decode, unless the model also thinks the window is silence", () => {
    const floor = -LIMITS.stt.FALLBACK_MAX_MEAN_NEG_LOGPROB;
    expect(needsFallback({ ...fine, avgLogprob: floor - 0.01 })).toBe(true);
    expect(needsFallback({ ...fine, avgLogprob: floor })).toBe(false);
    expect(
      needsFallback({
        ...fine,
        avgLogprob: floor - 0.01,
        noSpeechProb: LIMITS.stt.NO_SPEECH_THRESHOLD + 0.01,
      }),
    ).toBe(false);
    // Silence does not excuse repetition.
    expect(needsFallback({ ...fine, compressionRatio: 3, noSpeechProb: 0.99 })).toBe(true);
  });
});
