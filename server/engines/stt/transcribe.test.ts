/**
 * The whole pipeline with the real Silero weights and the random-weight Whisper fixture on made
 * audio. What the fixture says is noise; these tests check the plumbing: windows, absolute
 * timestamps, progress, cancel, silence, refusals, temp files.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AudioInputError } from "@/lib/audio/errors";
import { audioLimitsFor } from "@/lib/audio/limits";
import { formatTranscript } from "@/lib/transcript/formats";
import { transcriptSchema } from "@/lib/transcript/types";
import { decodeAudio } from "@/server/audio/decode";
import { encode, type MadeSpeech, makeSilence, makeSpeech } from "@/server/audio/make-test-audio";
import { needsFallback, temperatureSchedule } from "@/server/engines/stt/temperature-fallback";
import {
  type TranscribeOptions,
  type TranscribeProgress,
  transcribe,
  transcribeSamples,
} from "@/server/engines/stt/transcribe";
import { SileroVad } from "@/server/engines/stt/vad";
import { WhisperEngine } from "@/server/engines/stt/whisper";
import { hasModelMirror, MODEL_MIRROR_DIR } from "@/test/mirror";

describe.skipIf(!hasModelMirror)("transcribe (decode → VAD → windows → Whisper)", () => {
  let dir: string;
  let tempRoot: string;
  let engines: { vad: SileroVad; whisper: WhisperEngine };
  let long: MadeSpeech;
  let short: MadeSpeech;
  let speechOpus: string;
  const limits = audioLimitsFor("free");

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parla-stt-"));
    tempRoot = await mkdtemp(path.join(tmpdir(), "parla-stt-tmp-"));
    const [vad, whisper] = await Promise.all([
      SileroVad.load({ modelsDir: MODEL_MIRROR_DIR }),
      WhisperEngine.load(
        { modelId: "whisper-tiny-random", store: { modelsDir: path.join(MODEL_MIRROR_DIR, "test") } },
        ["cpu"],
      ),
    ]);
    engines = { vad, whisper };
    const sentences = [
      "Speech recognition turns spoken words into written text.",
      "The recording is cut into windows at the pauses between sentences.",
      "Each window is shorter than thirty seconds.",
    ];
    long = await makeSpeech(
      dir,
      "long.wav",
      Array.from({ length: 12 }, (_, i) => [{ say: sentences[i % 3] ?? "" }, { silence: 0.8 }]).flat(),
    );
    short = await makeSpeech(dir, "short.wav", [{ say: sentences[0] ?? "" }, { silence: 0.5 }]);
    speechOpus = await encode(long.path, path.join(dir, "long.opus"), ["-c:a", "libopus"]);
  });

  afterAll(async () => {
    await engines?.vad.release();
    await engines?.whisper.dispose();
    await rm(dir, { recursive: true, force: true });
    await rm(tempRoot, { recursive: true, force: true });
  });

  it("places every window's segments at absolute times, in order, with progress to the end", async () => {
    const progress: TranscribeProgress[] = [];
    const transcript = await transcribe(new Uint8Array(await readFile(speechOpus)), engines, {
      limits,
      tempRoot,
      language: "en",
      maxNewTokens: 6,
      onProgress: (update) => progress.push(update),
    });
    expect(transcriptSchema.parse(transcript)).toEqual(transcript);
    expect(transcript.language).toBe("en");
    expect(Math.abs(transcript.durationSeconds - long.seconds)).toBeLessThan(0.1);
    // More than one window: the file is longer than 30 s, and later segments sit past 30 s.
    expect(new Set(transcript.segments.map((segment) => segment.seek)).size).toBeGreaterThanOrEqual(2);
    expect(Math.max(...transcript.segments.map((segment) => segment.end))).toBeGreaterThan(30);
    let previousStart = 0;
    for (const [index, segment] of transcript.segments.entries()) {
      expect(segment.id).toBe(index);
      expect(segment.start).toBeGreaterThanOrEqual(previousStart);
      expect(segment.end).toBeLessThanOrEqual(transcript.durationSeconds);
      expect(segment.start).toBeGreaterThanOrEqual(segment.seek / 100);
      previousStart = segment.start;
    }
    const fractions = progress.map((update) => update.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(progress.at(0)).toEqual({ fraction: 0, stage: "decoding" });
    expect(progress.at(-1)).toEqual({ fraction: 1, stage: "done" });
    expect(progress.map((update) => update.stage)).toContain("transcribing");
    expect(formatTranscript(transcript, "srt").split("\n\n").filter(Boolean)).toHaveLength(
      transcript.segments.length,
    );
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it("decodes a doubtful window again at rising temperatures, reproducibly, and says which it kept", async () => {
    const samples = (await decodeAudio({ path: short.path }, { limits, tempRoot })).samples;
    const run = (extra: Partial<TranscribeOptions>) =>
      transcribeSamples(samples, engines, { language: "en", maxNewTokens: 8, ...extra });
    const schedule = temperatureSchedule(0);
    // Random weights give near-uniform logits (mean log-probability near -ln 51865): every
    // greedy decode is doubtful, so each window climbs the whole schedule.
    const greedy = await engines.whisper.transcribeWindow(samples.subarray(0, 16_000 * 3), {
      language: "en",
      maxNewTokens: 8,
    });
    expect(needsFallback(greedy)).toBe(true);
    const [first, again, off] = [await run({}), await run({}), await run({ temperatureFallback: false })];
    expect(first.segments.length).toBeGreaterThan(0);
    expect(again).toEqual(first);
    for (const segment of first.segments) expect(schedule).toContain(segment.temperature);
    expect(first.segments.some((segment) => segment.temperature > 0)).toBe(true);
    expect(off.segments.every((segment) => segment.temperature === 0)).toBe(true);
    // Another seed samples other tokens at the temperatures above 0.
    const reseeded = await run({ seed: 99 });
    expect(reseeded.segments.map((s) => s.tokens)).not.toEqual(first.segments.map((s) => s.tokens));
  });

  it("labels word times estimated from segment times when the model exports no cross-attentions", async () => {
    const samples = (await decodeAudio({ path: short.path }, { limits, tempRoot })).samples;
    const transcript = await transcribeSamples(samples, engines, {
      language: "en",
      maxNewTokens: 12,
      wordTimestamps: true,
    });
    expect(transcript.wordTimestamps).toBe("estimated");
    const words = transcript.words ?? [];
    expect(words.length).toBeGreaterThan(0);
    for (const word of words) {
      // Each word sits inside one of the segments it was estimated from.
      const home = transcript.segments.find((s) => word.start >= s.start && word.end <= s.end + 0.001);
      expect(home, `${word.start}-${word.end}`).toBeDefined();
    }
    const untimed = await transcribeSamples(samples, engines, { language: "en", maxNewTokens: 4 });
    expect(untimed.words).toBeUndefined();
    expect(untimed.wordTimestamps).toBeUndefined();
  });

  it("gives silence an empty transcript", async () => {
    const silence = await makeSilence(dir, "silence.wav", 4);
    const transcript = await transcribe({ path: silence }, engines, { limits, tempRoot });
    expect(transcript).toEqual({
      task: "transcribe",
      language: "en",
      durationSeconds: 4,
      text: "",
      segments: [],
    });
    expect(formatTranscript(transcript, "vtt")).toBe("WEBVTT\n\n");
  });

  it("stops when cancelled, leaving no temp files", async () => {
    const controller = new AbortController();
    const pending = transcribe(new Uint8Array(await readFile(long.path)), engines, {
      limits,
      tempRoot,
      language: "en",
      maxNewTokens: 6,
      signal: controller.signal,
      onProgress: (update) => {
        if (update.stage === "transcribing") controller.abort(new DOMException("cancelled", "AbortError"));
      },
    });
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it("refuses bad input and unknown languages before any model work", async () => {
    await expect(transcribe(new Uint8Array(), engines, { limits, tempRoot })).rejects.toBeInstanceOf(
      AudioInputError,
    );
    await expect(
      transcribe({ path: long.path }, engines, { limits, tempRoot, language: "klingon" }),
    ).rejects.toMatchObject({ status: 400, code: "bad_request:language" });
    await expect(
      transcribe({ path: long.path }, engines, { limits: { ...limits, maxSeconds: 10 } }),
    ).rejects.toMatchObject({
      reason: "too_long",
    });
  });
});
