/**
 * Streaming encoders against real ffmpeg: every format's bytes start flowing before the input
 * has ended, and what comes out decodes back (by ffmpeg/ffprobe, not by our code) at the right
 * rate and length.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AUDIO_FORMATS, type AudioFormat } from "@/server/audio/encode";
import { createStreamEncoder, PCM_STREAM_RATE_HZ } from "@/server/audio/stream-encoder";
import { floatToS16le } from "@/server/audio/wav";

const dir = mkdtempSync(path.join(tmpdir(), "parla-stream-encode-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tone(seconds: number, sampleRate: number): Buffer {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * i) / sampleRate);
  return floatToS16le(samples);
}

/** Seconds of audio ffmpeg decodes from a file (decoded, not declared: streams declare none). */
function decodedSeconds(file: string, raw?: { rate: number }): number {
  const input = raw ? ["-f", "s16le", "-ar", String(raw.rate), "-ac", "1"] : [];
  const pcm = execFileSync(
    "ffmpeg",
    ["-v", "error", ...input, "-i", file, "-f", "s16le", "-ac", "1", "-ar", "8000", "-"],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return pcm.length / 2 / 8000;
}

function probedRate(file: string): number {
  const out = execFileSync(
    "ffprobe",
    ["-v", "error", "-show_entries", "stream=sample_rate", "-of", "csv=p=0", file],
    { encoding: "utf8" },
  );
  return Number(out.trim());
}

const EXTENSIONS: Record<AudioFormat, string> = {
  mp3: "mp3",
  opus: "ogg",
  aac: "aac",
  flac: "flac",
  wav: "wav",
  pcm: "pcm",
};

describe("createStreamEncoder", () => {
  for (const format of AUDIO_FORMATS) {
    it(`${format}: bytes flow before the input ends, and the whole decodes back`, async () => {
      const rate = 24_000;
      const encoder = createStreamEncoder(format, rate);
      const received: Buffer[] = [];
      const ended = new Promise<void>((resolve, reject) => {
        encoder.output.on("end", resolve);
        encoder.output.on("error", reject);
      });
      const firstBytes = new Promise<void>((resolve) => {
        encoder.output.on("data", (chunk: Buffer) => {
          received.push(chunk);
          resolve();
        });
      });
      // Two seconds in, then wait: encoded audio must come out while the input is still open.
      await encoder.write(tone(1, rate));
      await encoder.write(tone(1, rate));
      await firstBytes;
      expect(received.length).toBeGreaterThan(0);
      for (let i = 0; i < 4; i++) await encoder.write(tone(0.25, rate));
      encoder.end();
      await ended;

      const file = path.join(dir, `stream.${EXTENSIONS[format]}`);
      writeFileSync(file, Buffer.concat(received));
      const seconds = decodedSeconds(file, format === "pcm" ? { rate: PCM_STREAM_RATE_HZ } : undefined);
      // Encoders add priming/padding of a few tens of ms at most.
      expect(seconds).toBeGreaterThan(2.95);
      expect(seconds).toBeLessThan(3.1);
      if (format !== "pcm") expect(probedRate(file)).toBe(format === "opus" ? 48_000 : rate);
    });
  }

  it("pcm at another rate is resampled to OpenAI's 24 kHz", async () => {
    const encoder = createStreamEncoder("pcm", 22_050);
    const received: Buffer[] = [];
    encoder.output.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => encoder.output.on("end", resolve));
    await encoder.write(tone(1, 22_050));
    encoder.end();
    await ended;
    const samples = Buffer.concat(received).length / 2;
    expect(Math.abs(samples - PCM_STREAM_RATE_HZ)).toBeLessThan(100);
  });

  // mp3 runs in this process (LAME in WebAssembly), aac in an ffmpeg process: both stop at once.
  it.each(["mp3", "aac"] as const)("%s: abort ends the output at once", async (format) => {
    const encoder = createStreamEncoder(format, 24_000);
    await encoder.write(tone(0.5, 24_000));
    const closed = new Promise((resolve) => encoder.output.on("close", resolve));
    encoder.abort();
    await closed;
    expect(encoder.output.destroyed).toBe(true);
    // Writing or ending after the abort neither throws nor hangs.
    await encoder.write(tone(0.1, 24_000));
    encoder.end();
  });

  it("mp3: a sample split across two writes is kept whole", async () => {
    const pcm = tone(1, 24_000);
    const split = createStreamEncoder("mp3", 24_000);
    const whole = createStreamEncoder("mp3", 24_000);
    const collect = (encoder: typeof split) => {
      const parts: Buffer[] = [];
      encoder.output.on("data", (chunk: Buffer) => parts.push(chunk));
      return new Promise<Buffer>((resolve) => encoder.output.on("end", () => resolve(Buffer.concat(parts))));
    };
    const [splitBytes, wholeBytes] = [collect(split), collect(whole)];
    await split.write(pcm.subarray(0, 1_001));
    await split.write(pcm.subarray(1_001));
    split.end();
    await whole.write(pcm);
    whole.end();
    expect((await splitBytes).equals(await wholeBytes)).toBe(true);
  });
});
