import { describe, expect, it } from "vitest";
import { LIMITS, signInBackoffSeconds } from "@/lib/limits";

describe("sign-in backoff", () => {
  it("lets the first failures through without a wait", () => {
    for (let failures = 0; failures < LIMITS.auth.FAILURES_BEFORE_BACKOFF; failures++) {
      expect(signInBackoffSeconds(failures)).toBe(0);
    }
  });

  it("doubles after the threshold and stops at the cap", () => {
    const first = LIMITS.auth.FAILURES_BEFORE_BACKOFF;
    expect(signInBackoffSeconds(first)).toBe(LIMITS.auth.BACKOFF_BASE_SECONDS);
    expect(signInBackoffSeconds(first + 1)).toBe(LIMITS.auth.BACKOFF_BASE_SECONDS * 2);
    expect(signInBackoffSeconds(first + 1000)).toBe(LIMITS.auth.BACKOFF_MAX_SECONDS);
  });
});

describe("policy table", () => {
  it("holds only positive finite numbers", () => {
    const walk = (node: object): number[] =>
      Object.values(node).flatMap((value) => (typeof value === "object" ? walk(value) : [value as number]));
    const values = walk(LIMITS);
    expect(values.length).toBeGreaterThan(10);
    for (const value of values) {
      expect(Number.isFinite(value) && value > 0).toBe(true);
    }
  });
});

describe("speech-to-text fallback and waiting", () => {
  it("keeps openai/whisper's fallback schedule and thresholds", () => {
    expect(LIMITS.stt.FALLBACK_TEMPERATURE_STEP).toBe(0.2);
    expect(LIMITS.stt.FALLBACK_MAX_COMPRESSION_RATIO).toBe(2.4);
    expect(LIMITS.stt.FALLBACK_MAX_MEAN_NEG_LOGPROB).toBe(1);
    expect(LIMITS.stt.NO_SPEECH_THRESHOLD).toBeLessThan(1);
  });

  it("waits less for an API answer than a worker may run a job", () => {
    expect(LIMITS.stt.API_WAIT_MAX_MS).toBeLessThan(LIMITS.workers.JOB_TIMEOUT_MS);
  });
});

describe("speech streaming", () => {
  it("makes the first chunk no longer than any other, so the first audio comes sooner", () => {
    expect(LIMITS.tts.FIRST_CHUNK_MAX_CHARS).toBeLessThanOrEqual(LIMITS.tts.CHUNK_MAX_CHARS);
  });
});
