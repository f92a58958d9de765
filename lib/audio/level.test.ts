import { describe, expect, it } from "vitest";
import { levelFromSamples, METER_FLOOR_DBFS } from "@/lib/audio/level";

function sine(amplitude: number, length = 4800): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * 440 * i) / 48_000));
}

describe("levelFromSamples", () => {
  it("reads silence and an empty block as 0", () => {
    expect(levelFromSamples(new Float32Array(1024))).toBe(0);
    expect(levelFromSamples(new Float32Array(0))).toBe(0);
  });

  it("reads a full-scale square wave as 1 and never more, even when clipping", () => {
    expect(levelFromSamples(new Float32Array(512).fill(1))).toBe(1);
    expect(levelFromSamples(new Float32Array(512).fill(-3))).toBe(1);
  });

  it("is linear in decibels between the floor and full scale", () => {
    // A sine's RMS is amplitude / √2: −3.01 dBFS at full scale, −23.01 at a tenth.
    expect(levelFromSamples(sine(1))).toBeCloseTo(1 - 3.0103 / -METER_FLOOR_DBFS, 3);
    expect(levelFromSamples(sine(0.1))).toBeCloseTo(1 - 23.0103 / -METER_FLOOR_DBFS, 3);
    expect(levelFromSamples(sine(0.0001))).toBe(0);
  });

  it("rises with loudness", () => {
    const levels = [0.001, 0.01, 0.1, 0.5].map((a) => levelFromSamples(sine(a)));
    expect([...levels].sort((a, b) => a - b)).toEqual(levels);
    expect(new Set(levels).size).toBe(levels.length);
  });
});
