import { describe, expect, it } from "vitest";
import { peaks } from "@/lib/audio/peaks";

describe("peaks", () => {
  it("keeps the largest absolute sample of each slice", () => {
    const samples = Float32Array.of(0.1, -0.5, 0.2, 0.3, -0.9, 0.4, 0, 0.05);
    expect(Array.from(peaks(samples, 4))).toEqual([
      0.5, 0.30000001192092896, 0.8999999761581421, 0.05000000074505806,
    ]);
  });

  it("covers every sample when slices do not divide evenly, and more buckets than samples", () => {
    const samples = Float32Array.of(0.2, 0.4, 0.6);
    expect(Math.max(...peaks(samples, 2))).toBeCloseTo(0.6);
    expect(peaks(samples, 6).length).toBe(6);
    expect(Math.min(...peaks(samples, 6))).toBeGreaterThan(0);
  });

  it("is empty or silent for empty input", () => {
    expect(peaks(new Float32Array(0), 10).every((value) => value === 0)).toBe(true);
    expect(peaks(Float32Array.of(1), 0).length).toBe(0);
  });
});
