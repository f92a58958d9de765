import { describe, expect, it } from "vitest";
import { encodeWavBytes } from "@/lib/audio/wav-bytes";
import { parseWav16 } from "@/server/audio/wav";

describe("encodeWavBytes", () => {
  it("writes a WAV that the server's reader reads back at 16-bit precision", () => {
    const samples = Float32Array.from({ length: 2400 }, (_, i) => Math.sin(i / 10) * 0.8);
    const wav = encodeWavBytes(samples, 24_000);
    expect(wav.byteLength).toBe(44 + samples.length * 2);
    const back = parseWav16(Buffer.from(wav));
    expect(back.sampleRate).toBe(24_000);
    expect(back.samples.length).toBe(samples.length);
    for (let i = 0; i < samples.length; i += 97) {
      expect(back.samples[i]).toBeCloseTo(samples[i] ?? 0, 3);
    }
  });

  it("clips out-of-range samples instead of wrapping around", () => {
    const back = parseWav16(Buffer.from(encodeWavBytes(Float32Array.of(2, -2), 8000)));
    expect(back.samples[0]).toBeCloseTo(1, 3);
    expect(back.samples[1]).toBeCloseTo(-1, 3);
  });
});
