/**
 * Every output format, decoded back by tools that share no code with the encoder: ffprobe for
 * all of them and sox for wav, flac and raw pcm. Duration and sample rate must come back.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIO_FORMATS, type AudioFormat, EncodeError, encodeAudio } from "@/server/audio/encode";
import { encodeWav16, parseWav16 } from "@/server/audio/wav";

const dir = mkdtempSync(path.join(tmpdir(), "parla-encode-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tone(seconds: number, sampleRate: number): Float32Array {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / sampleRate);
  return samples;
}

function ffprobe(file: string, format?: string): { duration: number; sampleRate: number; codec: string } {
  const input = format ? ["-f", format, "-ar", "24000", "-ac", "1"] : [];
  const out = execFileSync(
    "ffprobe",
    [
      "-v",
      "error",
      ...input,
      "-show_entries",
      "stream=sample_rate,codec_name:format=duration",
      "-of",
      "json",
      file,
    ],
    { encoding: "utf8" },
  );
  const json = JSON.parse(out);
  return {
    duration: Number(json.format.duration),
    sampleRate: Number(json.streams[0].sample_rate),
    codec: json.streams[0].codec_name,
  };
}

const EXTENSIONS: Record<AudioFormat, string> = {
  mp3: "mp3",
  opus: "ogg",
  aac: "aac",
  flac: "flac",
  wav: "wav",
  pcm: "raw",
};
const CODECS: Record<AudioFormat, string> = {
  mp3: "mp3",
  opus: "opus",
  aac: "aac",
  flac: "flac",
  wav: "pcm_s16le",
  pcm: "pcm_s16le",
};

describe("encodeAudio", () => {
  const audio = { samples: tone(1.5, 24_000), sampleRate: 24_000 };

  it.each(AUDIO_FORMATS)("%s decodes back to the same duration and rate (ffprobe)", async (format) => {
    const { bytes, contentType } = await encodeAudio(audio, format);
    expect(contentType).toMatch(/^audio\//);
    const file = path.join(dir, `tone.${EXTENSIONS[format]}`);
    writeFileSync(file, bytes);
    const probe = ffprobe(file, format === "pcm" ? "s16le" : undefined);
    expect(probe.codec).toBe(CODECS[format]);
    expect(probe.sampleRate).toBe(format === "opus" ? 48_000 : 24_000);
    // Lossy codecs add encoder delay and padding (mp3 ~50 ms, aac ~40 ms, Opus pre-skip ~7 ms).
    const tolerance = { mp3: 0.08, aac: 0.08, opus: 0.02 }[format as string] ?? 0.001;
    expect(Math.abs(probe.duration - 1.5)).toBeLessThan(tolerance);
  });

  it.each(["wav", "flac", "pcm"] as const)("%s decodes back with sox", async (format) => {
    const { bytes } = await encodeAudio(audio, format);
    const file = path.join(dir, `sox.${EXTENSIONS[format]}`);
    writeFileSync(file, bytes);
    const rawIn = format === "pcm" ? ["-t", "raw", "-r", "24000", "-e", "signed", "-b", "16", "-c", "1"] : [];
    if (format !== "pcm")
      expect(execFileSync("sox", ["--i", "-r", file], { encoding: "utf8" }).trim()).toBe("24000");
    // Decode fully (a flac written to a pipe has no sample count in its header to trust).
    const decoded = execFileSync("sox", [
      ...rawIn,
      file,
      "-t",
      "raw",
      "-e",
      "signed",
      "-b",
      "16",
      "-c",
      "1",
      "-",
    ]);
    expect(decoded.length / 2).toBe(audio.samples.length);
    expect(Math.abs(decoded.readInt16LE(2 * 100) / 0x8000 - (audio.samples[100] ?? 0))).toBeLessThan(1e-3);
  });

  it("resamples on request (24 kHz raw PCM from 22.05 kHz audio)", async () => {
    const input = { samples: tone(1, 22_050), sampleRate: 22_050 };
    const { bytes } = await encodeAudio(input, "pcm", { sampleRate: 24_000 });
    expect(Math.abs(bytes.length / 2 - 24_000)).toBeLessThan(50);
  });

  it("our WAV writer and reader round-trip, clipping out-of-range samples", () => {
    const samples = Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2]);
    const back = parseWav16(encodeWav16({ samples, sampleRate: 16_000 }));
    expect(back.sampleRate).toBe(16_000);
    expect([...back.samples].map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 0.5, -0.5, 1, -1, 1, -1]);
  });

  it("turns a cancelled encode into a typed failure", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(encodeAudio(audio, "mp3", { signal: controller.signal })).rejects.toBeInstanceOf(
      EncodeError,
    );
  });
});
