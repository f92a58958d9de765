import { describe, expect, it } from "vitest";
import { concatSamples } from "@/lib/audio/concat-samples";

describe("concatSamples", () => {
  it("joins pieces in order, empty ones included", () => {
    const joined = concatSamples([Float32Array.of(1, 2), new Float32Array(0), Float32Array.of(3)]);
    expect([...joined]).toEqual([1, 2, 3]);
    expect(concatSamples([]).length).toBe(0);
  });
});
