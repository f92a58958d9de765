/**
 * A job's result built chunk by chunk is the file one encode of the whole would give: byte for
 * byte for MP3 (LAME on the MP3 thread), and through ffmpeg for the other formats.
 */
import { describe, expect, it } from "vitest";
import { concatSamples } from "@/lib/audio/concat-samples";
import { encodeAudio } from "@/server/audio/encode";
import { threadMp3EncodersInUse } from "@/server/audio/mp3-thread";
import { openResultEncoder } from "@/server/speech/result-encoder";

const RATE = 24_000;
const chunks = [0.7, 1.3, 0.05, 2].map((seconds, n) => {
  const samples = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < samples.length; i++)
    samples[i] = 0.3 * Math.sin((2 * Math.PI * (200 + 50 * n) * i) / RATE);
  return samples;
});
const whole = concatSamples(chunks);

describe("openResultEncoder", () => {
  it.each(["mp3", "flac", "wav"] as const)("%s: chunk by chunk gives the whole's file", async (format) => {
    const result = await openResultEncoder(format, RATE);
    for (const chunk of chunks) result.add(chunk);
    const built = await result.finish();
    const once = await encodeAudio({ samples: whole, sampleRate: RATE }, format);
    expect(built.contentType).toBe(once.contentType);
    expect(built.bytes.equals(once.bytes)).toBe(true);
  });

  it("gives its MP3 encoder back when the job stops before the end", async () => {
    const before = await threadMp3EncodersInUse();
    const result = await openResultEncoder("mp3", RATE);
    result.add(chunks[0] ?? new Float32Array(0));
    expect(await threadMp3EncodersInUse()).toBe(before + 1);
    result.release();
    expect(await threadMp3EncodersInUse()).toBe(before);
  });
});
