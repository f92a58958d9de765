/**
 * The bad-input corpus, made at test time: every hostile or broken file gets its own typed 4xx
 * refusal (never a 500 or a hang), silence decodes fine, and no temp file is left behind.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AudioInputError, type AudioProblem } from "@/lib/audio/errors";
import { type AudioLimits, audioLimitsFor } from "@/lib/audio/limits";
import { LIMITS } from "@/lib/limits";
import { type DecodeOptions, decodeAudio } from "@/server/audio/decode";
import {
  encode,
  makeSilence,
  makeSpeech,
  makeTone,
  makeVideo,
  truncate,
} from "@/server/audio/make-test-audio";

const run = promisify(execFile);

let dir: string;
let tempRoot: string;
const files: Record<string, string> = {};
const free = audioLimitsFor("free");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parla-corpus-"));
  tempRoot = await mkdtemp(path.join(tmpdir(), "parla-decode-root-"));
  const speech = await makeSpeech(dir, "speech.wav", [
    { say: "hello there" },
    { silence: 0.5 },
    { say: "testing" },
  ]);
  const tone = await makeTone(dir, "tone.wav", 4);
  files.speech = speech.path;
  files.tone = tone;
  const jobs: Promise<unknown>[] = [
    encode(tone, path.join(dir, "tone.mp3"), ["-c:a", "libmp3lame"]).then((f) => (files.mp3 = f)),
    encode(tone, path.join(dir, "tone-notag.mp3"), ["-c:a", "libmp3lame", "-id3v2_version", "0"]).then(
      (f) => (files.mp3NoTag = f),
    ),
    encode(tone, path.join(dir, "tone.m4a"), ["-c:a", "aac"]).then((f) => (files.m4a = f)),
    encode(tone, path.join(dir, "tone.opus"), ["-c:a", "libopus"]).then((f) => (files.opus = f)),
    encode(tone, path.join(dir, "tone.webm"), ["-c:a", "libopus"]).then((f) => (files.webm = f)),
    encode(tone, path.join(dir, "tone.flac"), ["-c:a", "flac"]).then((f) => (files.flac = f)),
    makeVideo(tone, path.join(dir, "clip.mp4")).then((f) => (files.mp4 = f)),
    makeVideo(tone, path.join(dir, "clip.mov")).then((f) => (files.mov = f)),
    makeVideo(tone, path.join(dir, "mute.mp4"), false).then((f) => (files.mute = f)),
    makeSilence(dir, "silence.wav", 3).then((f) => (files.silence = f)),
    // Ten minutes of tone at a low bitrate: a small file that is far longer than the free tier.
    makeTone(dir, "long.wav", 600, 8000).then((long) =>
      encode(long, path.join(dir, "long.opus"), ["-c:a", "libopus", "-b:a", "6k"]).then(
        (f) => (files.long = f),
      ),
    ),
    // Written to a pipe, a WebM has no duration in its header (like a live MediaRecorder file).
    makeTone(dir, "eight.wav", 8).then(async (eight) => {
      const { stdout } = await run(
        "ffmpeg",
        ["-nostdin", "-v", "error", "-i", eight, "-c:a", "libopus", "-f", "webm", "pipe:1"],
        { encoding: "buffer", maxBuffer: 10 * 1024 * 1024 },
      );
      files.streamed = path.join(dir, "streamed.webm");
      await writeFile(files.streamed, stdout);
    }),
  ];
  await Promise.all(jobs);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(tempRoot, { recursive: true, force: true });
});

afterEach(async () => {
  // Whatever happened, the per-job temp dir is gone.
  expect(await readdir(tempRoot)).toEqual([]);
});

const bytes = async (name: string) => new Uint8Array(await readFile(files[name] ?? ""));

function damaged(input: Uint8Array, from: number): Uint8Array {
  const out = Uint8Array.from(input);
  let seed = 7;
  for (let i = from; i < out.length; i += 7) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = seed >>> 24;
  }
  return out;
}

function withUint32(input: Uint8Array, offset: number, value: number): Uint8Array {
  const out = Buffer.from(input);
  out.writeUInt32LE(value, offset);
  return out;
}

function id3Padding(tagBytes: number, audio: Uint8Array): Uint8Array {
  const header = [0x49, 0x44, 0x33, 4, 0, 0];
  for (let shift = 21; shift >= 0; shift -= 7) header.push((tagBytes >> shift) & 0x7f);
  return Uint8Array.from([...header, ...new Uint8Array(tagBytes), ...audio]);
}

const options = (limits: AudioLimits = free, extra: Partial<DecodeOptions> = {}): DecodeOptions => ({
  limits,
  tempRoot,
  ...extra,
});

describe("decodeAudio on good files", () => {
  it.each([
    ["tone", 4],
    ["mp3", 4],
    ["m4a", 4],
    ["opus", 4],
    ["webm", 4],
    ["flac", 4],
    ["mp4", 2],
    ["mov", 2],
  ])("decodes %s to 16 kHz mono float32", async (name, seconds) => {
    const decoded = await decodeAudio(await bytes(name), options());
    expect(decoded.sampleRate).toBe(16_000);
    expect(decoded.durationSeconds).toBeGreaterThan(seconds - 0.1);
    // AAC adds encoder priming, so compressed files may run a little long.
    expect(decoded.durationSeconds).toBeLessThan(seconds + 0.25);
    const peak = decoded.samples.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    expect(peak).toBeGreaterThan(0.2);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it("reads a file on disk in place and leaves it there", async () => {
    const decoded = await decodeAudio({ path: files.speech ?? "" }, options());
    expect(decoded.container.container).toBe("wav");
    expect(decoded.source).toMatchObject({ codec: "pcm_s16le", sampleRate: 16_000, channels: 1 });
    expect((await readFile(files.speech ?? "")).length).toBeGreaterThan(0);
  });

  it("decodes silence (it later gives an empty transcript, not an error)", async () => {
    const decoded = await decodeAudio(await bytes("silence"), options());
    expect(decoded.durationSeconds).toBeCloseTo(3, 2);
    expect(decoded.samples.every((value) => Math.abs(value) < 1e-4)).toBe(true);
  });
});

/** [case, how to make the input, limits, expected reason, a phrase the message must hold] */
type Case = [string, () => Promise<Uint8Array>, AudioLimits, AudioProblem, string];

const CORPUS: Case[] = [
  ["zero bytes", async () => new Uint8Array(), free, "empty", "empty"],
  [
    "wrong magic number",
    async () => damaged(await bytes("tone"), 0),
    free,
    "unsupported_format",
    "not a recognised",
  ],
  [
    "HTML with an audio header",
    async () =>
      Uint8Array.from([
        ...(await bytes("tone")).subarray(0, 44),
        ...new TextEncoder().encode("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
      ]),
    free,
    "markup",
    "web page",
  ],
  [
    "megabytes of ID3 padding",
    async () => id3Padding(3 * 1024 * 1024, await bytes("mp3NoTag")),
    free,
    "tag_too_large",
    "ID3 tag",
  ],
  ["truncated WAV", async () => (await bytes("tone")).subarray(0, 50_000), free, "truncated", "cut short"],
  [
    "truncated M4A (its index never arrived)",
    async () => readFile(await truncate(files.m4a ?? "", path.join(dir, "half.m4a"), 0.5)),
    free,
    "truncated",
    "incomplete",
  ],
  [
    "truncated FLAC",
    async () => (await bytes("flac")).subarray(0, Math.floor((await bytes("flac")).length / 2)),
    free,
    "truncated",
    "cut short",
  ],
  ["corrupt MP3 frames", async () => damaged(await bytes("mp3"), 600), free, "corrupt", "damaged"],
  // From a third of the way in: the WebM header and track list stay whole, its frames do not.
  [
    "corrupt WebM",
    async () => damaged(await bytes("webm"), Math.floor((await bytes("webm")).length / 3)),
    free,
    "corrupt",
    "damaged",
  ],
  [
    "absurd declared size",
    async () => withUint32(await bytes("tone"), 4, 0x7fff_0000),
    free,
    "absurd_size",
    "declares",
  ],
  ["absurd sample rate", async () => withUint32(await bytes("tone"), 24, 3), free, "bad_sample_rate", "3 Hz"],
  ["video without an audio track", async () => bytes("mute"), free, "no_audio", "no audio track"],
  ["far longer than the limit (declared)", async () => bytes("long"), free, "too_long", "limit is 90 s"],
  [
    "longer than the limit with no declared duration",
    async () => bytes("streamed"),
    { ...free, maxSeconds: 5 },
    "too_long",
    "limit of 5 s",
  ],
  ["over the size limit", async () => bytes("tone"), { ...free, maxBytes: 1000 }, "too_large", "limit is"],
];

describe("the bad-input corpus", () => {
  it.each(CORPUS)("%s → its own refusal", async (_name, make, limits, reason, phrase) => {
    const input = await make();
    const error = await decodeAudio(input, options(limits)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AudioInputError);
    const refusal = error as AudioInputError;
    expect(refusal.reason).toBe(reason);
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    expect(refusal.status).toBeLessThan(500);
    expect(refusal.message).toContain(phrase);
    // Messages never leak the temp path or ffmpeg's internals.
    expect(refusal.message).not.toContain(tempRoot);
    expect(refusal.message).not.toMatch(/@ 0x/);
  });

  it("covers every kind of bad input the issue names", () => {
    const reasons = new Set(CORPUS.map(([, , , reason]) => reason));
    for (const reason of [
      "empty",
      "unsupported_format",
      "markup",
      "tag_too_large",
      "truncated",
      "corrupt",
    ] as const) {
      expect(reasons).toContain(reason);
    }
    for (const reason of ["absurd_size", "bad_sample_rate", "too_long", "no_audio", "too_large"] as const) {
      expect(reasons).toContain(reason);
    }
  });

  it("stops a decoder that runs past its time limit", async () => {
    const error = await decodeAudio(await bytes("tone"), options(free, { timeoutMs: 1 })).catch(
      (e: unknown) => e,
    );
    expect((error as AudioInputError).reason).toBe("decode_timeout");
  });

  it("stops when the job is cancelled", async () => {
    const controller = new AbortController();
    const pending = decodeAudio(
      await bytes("long"),
      options(audioLimitsFor("pro"), { signal: controller.signal }),
    );
    controller.abort(new DOMException("cancelled", "AbortError"));
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("caps decoder output at the tier's seconds of samples", () => {
    expect(free.maxSeconds * LIMITS.stt.SAMPLE_RATE * 4).toBe(90 * 16_000 * 4);
  });
});
