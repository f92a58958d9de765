/**
 * The bad-input corpus of issue #5, made at test time from espeak-ng/sox/ffmpeg output: each case
 * is a broken or hostile file and the refusal it must get. One table for the decoder's unit test
 * (server/audio/decode.test.ts) and the upload path end to end (e2e/openai-transcription.spec.ts).
 * Test-only.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { AudioProblem } from "@/lib/audio/errors";
import { type AudioLimits, audioLimitsFor } from "@/lib/audio/limits";
import {
  encode,
  makeSilence,
  makeSpeech,
  makeTone,
  makeVideo,
  truncate,
} from "@/server/audio/make-test-audio";

const run = promisify(execFile);

export type CorpusSources = Record<string, string>;

/** The good files the corpus damages, plus the decoder's own good-file cases. */
export async function makeCorpusSources(dir: string): Promise<CorpusSources> {
  const files: CorpusSources = {};
  const speech = await makeSpeech(dir, "speech.wav", [
    { say: "hello there" },
    { silence: 0.5 },
    { say: "testing" },
  ]);
  const tone = await makeTone(dir, "tone.wav", 4);
  files.speech = speech.path;
  files.tone = tone;
  await Promise.all([
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
    // Written to a pipe, a WebM has no duration in its header (like a live MediaRecorder file);
    // two minutes of it is past the free tier's 90 s.
    ...[
      ["streamed", 8],
      ["streamedLong", 120],
    ].map(async ([name, seconds]) => {
      const source = await makeTone(dir, `${name}.wav`, Number(seconds), 8000);
      const { stdout } = await run(
        "ffmpeg",
        ["-nostdin", "-v", "error", "-i", source, "-c:a", "libopus", "-b:a", "6k", "-f", "webm", "pipe:1"],
        { encoding: "buffer", maxBuffer: 10 * 1024 * 1024 },
      );
      files[String(name)] = path.join(dir, `${name}.webm`);
      await writeFile(files[String(name)] ?? "", stdout);
    }),
  ]);
  return files;
}

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

export interface CorpusCase {
  name: string;
  make: () => Promise<Uint8Array>;
  /** The limits the case is judged by; the free tier's unless it needs a tighter one to be cheap. */
  limits: AudioLimits;
  reason: AudioProblem;
  /** A phrase the refusal's message must hold. */
  phrase: string;
}

export function badInputCorpus(files: CorpusSources, dir: string): CorpusCase[] {
  const free = audioLimitsFor("free");
  const bytes = async (name: string) => new Uint8Array(await readFile(files[name] ?? ""));
  const cut = async (name: string, fraction: number) => {
    const whole = await bytes(name);
    return whole.subarray(0, Math.floor(whole.length * fraction));
  };
  const cases: Omit<CorpusCase, "limits">[] = [
    { name: "zero bytes", make: async () => new Uint8Array(), reason: "empty", phrase: "empty" },
    {
      name: "wrong magic number",
      make: async () => damaged(await bytes("tone"), 0),
      reason: "unsupported_format",
      phrase: "not a recognised",
    },
    {
      name: "HTML with an audio header",
      make: async () =>
        Uint8Array.from([
          ...(await bytes("tone")).subarray(0, 44),
          ...new TextEncoder().encode("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ]),
      reason: "markup",
      phrase: "web page",
    },
    {
      name: "megabytes of ID3 padding",
      make: async () => id3Padding(3 * 1024 * 1024, await bytes("mp3NoTag")),
      reason: "tag_too_large",
      phrase: "ID3 tag",
    },
    {
      name: "truncated WAV",
      make: async () => (await bytes("tone")).subarray(0, 50_000),
      reason: "truncated",
      phrase: "cut short",
    },
    {
      name: "truncated M4A (its index never arrived)",
      make: async () => readFile(await truncate(files.m4a ?? "", path.join(dir, "half.m4a"), 0.5)),
      reason: "truncated",
      phrase: "incomplete",
    },
    { name: "truncated FLAC", make: () => cut("flac", 0.5), reason: "truncated", phrase: "cut short" },
    {
      name: "corrupt MP3 frames",
      make: async () => damaged(await bytes("mp3"), 600),
      reason: "corrupt",
      phrase: "damaged",
    },
    // From a third of the way in: the WebM header and track list stay whole, its frames do not.
    {
      name: "corrupt WebM",
      make: async () => damaged(await bytes("webm"), Math.floor((await bytes("webm")).length / 3)),
      reason: "corrupt",
      phrase: "damaged",
    },
    {
      name: "absurd declared size",
      make: async () => withUint32(await bytes("tone"), 4, 0x7fff_0000),
      reason: "absurd_size",
      phrase: "declares",
    },
    {
      name: "absurd sample rate",
      make: async () => withUint32(await bytes("tone"), 24, 3),
      reason: "bad_sample_rate",
      phrase: "3 Hz",
    },
    {
      name: "video without an audio track",
      make: () => bytes("mute"),
      reason: "no_audio",
      phrase: "no audio track",
    },
    {
      name: "far longer than the limit (declared)",
      make: () => bytes("long"),
      reason: "too_long",
      phrase: "limit is 90 s",
    },
    {
      name: "longer than the limit with no declared duration",
      make: () => bytes("streamedLong"),
      reason: "too_long",
      phrase: "limit of 90 s",
    },
    {
      name: "over the size limit",
      // Valid WAV bytes past the free tier's size: refused before anything decodes it.
      make: async () => {
        const head = await bytes("tone");
        const big = new Uint8Array(free.maxBytes + 1);
        big.set(head);
        return big;
      },
      reason: "too_large",
      phrase: "limit is",
    },
  ];
  return cases.map((entry) => ({ ...entry, limits: free }));
}

/** The kinds of bad input issue #5 names; a corpus must cover each. */
export const REQUIRED_REASONS: readonly AudioProblem[] = [
  "empty",
  "unsupported_format",
  "markup",
  "tag_too_large",
  "truncated",
  "corrupt",
  "absurd_size",
  "bad_sample_rate",
  "too_long",
  "no_audio",
  "too_large",
];
