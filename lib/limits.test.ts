import { describe, expect, it } from "vitest";
import { LIMITS, RATE_LIMITS, retentionDays, signInBackoffSeconds } from "@/lib/limits";

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

describe("workers", () => {
  it("give a canceled job seconds to stop, far less than a lease, so its slot frees soon", () => {
    expect(LIMITS.workers.CANCEL_GRACE_MS).toBeGreaterThanOrEqual(1_000);
    expect(LIMITS.workers.CANCEL_GRACE_MS).toBeLessThan(LIMITS.queue.LEASE_MS / 3);
  });
});

describe("speech streaming", () => {
  it("makes the first chunk no longer than any other, so the first audio comes sooner", () => {
    expect(LIMITS.tts.FIRST_CHUNK_MAX_CHARS).toBeLessThanOrEqual(LIMITS.tts.CHUNK_MAX_CHARS);
  });
});

describe("blocks, abuse and quotas", () => {
  it("keep the block cache short and the automatic block to an hour", () => {
    expect(LIMITS.blocks.CACHE_TTL_MS).toBeLessThanOrEqual(10_000);
    expect(LIMITS.abuse.BLOCK_SECONDS).toBe(60 * 60);
    expect(LIMITS.abuse.WINDOW_SECONDS).toBeLessThanOrEqual(LIMITS.abuse.BLOCK_SECONDS);
  });

  it("do not block a client for one burst past a per-minute limit", () => {
    // A script that overshoots a route's minute once draws at most that many 429s in a row
    // before backing off; the block is for those that keep going.
    for (const name of ["speech", "transcription", "translation", "live-audio"] as const) {
      expect(LIMITS.abuse.MAX_RATE_LIMITED_PER_WINDOW).toBeGreaterThan(RATE_LIMITS[name].windows[0].limit);
    }
    expect(LIMITS.abuse.MAX_INVALID_PER_WINDOW).toBeGreaterThan(LIMITS.abuse.MAX_RATE_LIMITED_PER_WINDOW);
  });

  it("give each tier's daily quota room for its largest job, pro more than free", () => {
    const { quotas, tts, stt } = LIMITS;
    expect(quotas.WINDOW_SECONDS).toBe(24 * 60 * 60);
    expect(quotas.FREE_SPEECH_CHARS_PER_DAY).toBeGreaterThanOrEqual(tts.FREE_MAX_CHARS);
    expect(quotas.PRO_SPEECH_CHARS_PER_DAY).toBeGreaterThanOrEqual(tts.PRO_MAX_CHARS);
    expect(quotas.FREE_TRANSCRIPTION_SECONDS_PER_DAY).toBeGreaterThanOrEqual(stt.FREE_MAX_SECONDS);
    expect(quotas.PRO_TRANSCRIPTION_SECONDS_PER_DAY).toBeGreaterThanOrEqual(stt.PRO_MAX_SECONDS);
  });
});

describe("retention per tier", () => {
  it("keeps a pro person's results longer than a free person's, each by its own constant", () => {
    expect(retentionDays("free")).toBe(LIMITS.jobs.RETENTION_DAYS_FREE);
    expect(retentionDays("pro")).toBe(LIMITS.jobs.RETENTION_DAYS_PRO);
    expect(retentionDays("pro")).toBeGreaterThan(retentionDays("free"));
  });
});
