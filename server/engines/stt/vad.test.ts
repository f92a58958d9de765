import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MadeSpeech, makeSilence, makeSpeech } from "@/server/audio/make-test-audio";
import { SileroVad } from "@/server/engines/stt/vad";
import {
  DEFAULT_VAD_SETTINGS,
  planWindows,
  speechSegments,
  VAD_FRAME_SAMPLES,
} from "@/server/engines/stt/vad-segments";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

const RATE = 16_000;

/** 16-bit mono WAV (as sox writes it: 44-byte header) → float32. */
async function readWav(file: string): Promise<Float32Array> {
  const bytes = await readFile(file);
  const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset + 44, bytes.byteOffset + bytes.length));
  return Float32Array.from(pcm, (value) => value / 32768);
}

describe("speechSegments and planWindows (rules, no model)", () => {
  const frames = (pattern: [p: number, seconds: number][]) => {
    const out: number[] = [];
    for (const [p, seconds] of pattern) {
      for (let i = 0; i < Math.round((seconds * RATE) / VAD_FRAME_SAMPLES); i++) out.push(p);
    }
    return Float32Array.from(out);
  };

  it("finds speech with hysteresis, drops blips, bridges short pauses and pads", () => {
    const probabilities = frames([
      [0.01, 1],
      [0.9, 2],
      [0.4, 0.5], // between the thresholds: still speech
      [0.9, 1],
      [0.1, 0.1], // a pause shorter than minSilence: bridged
      [0.9, 1],
      [0.01, 2],
      [0.95, 0.1], // a blip shorter than minSpeech: dropped
      [0.01, 2],
    ]);
    const total = probabilities.length * VAD_FRAME_SAMPLES;
    const spans = speechSegments(probabilities, total);
    expect(spans).toHaveLength(1);
    const [span] = spans;
    const pad = (DEFAULT_VAD_SETTINGS.speechPadMs / 1000) * RATE;
    expect(Math.abs((span?.start ?? 0) - (RATE - pad))).toBeLessThan(VAD_FRAME_SAMPLES * 2);
    expect(Math.abs((span?.end ?? 0) - (5.6 * RATE + pad))).toBeLessThan(VAD_FRAME_SAMPLES * 2);
  });

  it("finds nothing in silence", () => {
    const probabilities = frames([[0.02, 10]]);
    expect(speechSegments(probabilities, probabilities.length * VAD_FRAME_SAMPLES)).toEqual([]);
  });

  it("groups segments into windows of at most 30 s that end in pauses", () => {
    const spans = Array.from({ length: 10 }, (_, i) => ({ start: i * 8 * RATE, end: (i * 8 + 6) * RATE }));
    const windows = planWindows(spans, new Float32Array(0));
    for (const window of windows) {
      expect(window.end - window.start).toBeLessThanOrEqual(30 * RATE);
      expect(spans.some((span) => span.end === window.end)).toBe(true);
    }
    expect(windows.flatMap((window) => window.speech)).toEqual(spans);
  });

  it("cuts one long monologue at its quietest frame", () => {
    const probabilities = frames([
      [0.9, 20],
      [0.4, 0.2], // a breath that never drops below negThreshold
      [0.9, 30],
    ]);
    const total = probabilities.length * VAD_FRAME_SAMPLES;
    const windows = planWindows(speechSegments(probabilities, total), probabilities);
    expect(windows.length).toBeGreaterThanOrEqual(2);
    const cut = windows[0]?.end ?? 0;
    expect(cut / RATE).toBeGreaterThan(19.9);
    expect(cut / RATE).toBeLessThan(20.3);
    for (const window of windows) expect(window.end - window.start).toBeLessThanOrEqual(30 * RATE);
  });
});

describe.skipIf(!hasModelMirror)("Silero VAD with the real weights on made speech", () => {
  let dir: string;
  let vad: SileroVad;
  let made: MadeSpeech;
  let long: MadeSpeech;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parla-vad-"));
    vad = await SileroVad.load({ modelsDir: MODEL_MIRROR_DIR });
    made = await makeSpeech(dir, "three.wav", [
      { silence: 0.8 },
      { say: "The quick brown fox jumps over the lazy dog." },
      { silence: 1.5 },
      { say: "Hello world, this is a test." },
      { silence: 2 },
      { say: "One two three four five." },
      { silence: 1 },
    ]);
    const sentences = [
      "Speech recognition turns spoken words into written text.",
      "The recording is cut into windows at the pauses between sentences.",
      "Each window is shorter than thirty seconds.",
      "Silence between the sentences is where the cuts belong.",
    ];
    const pieces = Array.from({ length: 12 }, (_, i) => [
      { say: sentences[i % sentences.length] ?? "" },
      { silence: 0.7 },
    ]).flat();
    long = await makeSpeech(dir, "long.wav", pieces);
  });

  afterAll(async () => {
    await vad?.release();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds each phrase near its true boundaries", async () => {
    const { segments } = await vad.detect(await readWav(made.path));
    expect(segments).toHaveLength(made.speech.length);
    const pad = DEFAULT_VAD_SETTINGS.speechPadMs / 1000;
    for (const [i, truth] of made.speech.entries()) {
      const found = segments[i];
      expect(Math.abs((found?.start ?? 0) / RATE - (truth.start - pad))).toBeLessThan(0.25);
      expect(Math.abs((found?.end ?? 0) / RATE - (truth.end + pad))).toBeLessThan(0.35);
    }
  });

  it("finds nothing in silence", async () => {
    const silence = await readWav(await makeSilence(dir, "silence.wav", 5));
    const result = await vad.detect(silence);
    expect(result.segments).toEqual([]);
    expect(result.windows).toEqual([]);
    expect(Math.max(...result.probabilities)).toBeLessThan(0.1);
  });

  it("cuts a long recording into windows of at most 30 s, at the pauses", async () => {
    expect(long.seconds).toBeGreaterThan(45);
    const { windows } = await vad.detect(await readWav(long.path));
    expect(windows.length).toBeGreaterThanOrEqual(2);
    for (const window of windows) {
      expect(window.end - window.start).toBeLessThanOrEqual(30 * RATE);
      // Every cut lies in a made silence, not inside a sentence.
      const cut = window.end / RATE;
      const inside = long.speech.some((span) => cut > span.start + 0.05 && cut < span.end - 0.05);
      expect(inside).toBe(false);
    }
  });

  it("runs long audio as parallel streams that agree with one exact pass", async () => {
    const samples = await readWav(long.path);
    const single = await vad.probabilities(samples, undefined, { streams: 1 });
    const batched = await vad.probabilities(samples, undefined, { streams: 3 });
    let worst = 0;
    for (let i = 0; i < single.length; i++)
      worst = Math.max(worst, Math.abs((single[i] ?? 0) - (batched[i] ?? 0)));
    expect(worst).toBeLessThan(0.1);
    expect(speechSegments(batched, samples.length)).toEqual(speechSegments(single, samples.length));
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(vad.probabilities(new Float32Array(RATE * 10), controller.signal)).rejects.toThrow();
  });
});
