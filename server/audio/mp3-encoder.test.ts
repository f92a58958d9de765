/**
 * The in-process LAME encoder, checked by decoding its output with Debian's ffmpeg (which shares
 * no code with it): the waveform comes back, pieces encode like the whole, instances do not
 * share state, and a long file is encoded without holding the event loop.
 */
import { execFileSync } from "node:child_process";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { encodeMp3, lameTakesRate, openMp3Encoder } from "@/server/audio/mp3-encoder";

const RATE = 24_000;

function speechLike(seconds: number, sampleRate = RATE, gain = 0.4): Float32Array {
  const samples = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    // A voiced-sounding mix whose loudness moves, so the encoder has real work in every frame.
    const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t);
    samples[i] =
      gain * envelope * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 720 * t)) * 0.66;
  }
  return samples;
}

function decode(mp3: Buffer): Float32Array {
  const pcm = execFileSync("ffmpeg", ["-v", "error", "-i", "pipe:0", "-f", "s16le", "-ac", "1", "pipe:1"], {
    input: mp3,
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = new Float32Array(pcm.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = pcm.readInt16LE(2 * i) / 0x8000;
  return out;
}

/** Signal-to-error ratio (dB) of the decode against the input at the lag (encoder delay) that fits best. */
function bestSnrDb(original: Float32Array, decoded: Float32Array): number {
  let best = Number.NEGATIVE_INFINITY;
  const span = original.length - 4_000;
  for (let lag = 0; lag <= 2_500; lag++) {
    let signal = 0;
    let error = 0;
    for (let i = 2_000; i < span; i += 3) {
      const a = original[i] ?? 0;
      const d = (decoded[i + lag] ?? 0) - a;
      signal += a * a;
      error += d * d;
    }
    best = Math.max(best, 10 * Math.log10(signal / Math.max(error, 1e-12)));
  }
  return best;
}

describe("in-process MP3 (LAME in WebAssembly)", () => {
  it("decodes back to the same sound and length", async () => {
    const input = speechLike(2);
    const decoded = decode(await encodeMp3(input, RATE));
    // Encoder delay and padding add well under a tenth of a second.
    expect(decoded.length).toBeGreaterThanOrEqual(input.length);
    expect(decoded.length - input.length).toBeLessThan(0.1 * RATE);
    expect(bestSnrDb(input, decoded)).toBeGreaterThan(20);
  });

  it("encodes a stream given in pieces to the same bytes as the whole at once", async () => {
    const input = speechLike(3);
    const whole = await encodeMp3(input, RATE);
    const encoder = await openMp3Encoder(RATE);
    const parts: Buffer[] = [];
    for (const [from, to] of [
      [0, 1_000],
      [1_000, 30_017],
      [30_017, 30_018],
      [30_018, input.length],
    ] as const)
      parts.push(encoder.encode(input.subarray(from, to)));
    parts.push(encoder.finish());
    expect(Buffer.concat(parts).equals(whole)).toBe(true);
  });

  it("keeps two streams apart when they interleave (one LAME instance each)", async () => {
    const a = speechLike(1.5, RATE, 0.3);
    const b = speechLike(1.5, 22_050, 0.6);
    const [soloA, soloB] = [await encodeMp3(a, RATE), await encodeMp3(b, 22_050)];
    const [encA, encB] = [await openMp3Encoder(RATE), await openMp3Encoder(22_050)];
    const outA: Buffer[] = [];
    const outB: Buffer[] = [];
    for (let at = 0; at < a.length; at += 5_000) {
      outA.push(encA.encode(a.subarray(at, at + 5_000)));
      outB.push(encB.encode(b.subarray(at, at + 5_000)));
    }
    outA.push(encA.finish());
    outB.push(encB.finish());
    expect(Buffer.concat(outA).equals(soloA)).toBe(true);
    expect(Buffer.concat(outB).equals(soloB)).toBe(true);
  });

  it("clips samples past full scale instead of wrapping them", async () => {
    const loud = speechLike(1, RATE, 1.5);
    const decoded = decode(await encodeMp3(loud, RATE));
    const peak = decoded.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    expect(peak).toBeGreaterThan(0.8);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it("lets other work run while a long file is encoded", async () => {
    let turns = 0;
    let encoding = true;
    const counter = (async () => {
      while (encoding) {
        turns++;
        await nextTurn();
      }
    })();
    await encodeMp3(speechLike(30), RATE);
    encoding = false;
    await counter;
    // One turn per second-long slice at least: the encoder never held the loop for the whole file.
    expect(turns).toBeGreaterThanOrEqual(29);
  });

  it("stops when cancelled, and names the rates it cannot take", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(encodeMp3(speechLike(1), RATE, controller.signal)).rejects.toThrow();
    expect(lameTakesRate(24_000)).toBe(true);
    expect(lameTakesRate(23_000)).toBe(false);
    await expect(openMp3Encoder(23_000)).rejects.toThrow(/23000 Hz/);
  });

  it("refuses to be used after it was finished", async () => {
    const encoder = await openMp3Encoder(RATE);
    encoder.finish();
    expect(() => encoder.encode(speechLike(0.1))).toThrow(/after it was finished/);
  });
});
