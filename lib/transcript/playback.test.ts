import { describe, expect, it } from "vitest";
import { formatClock, segmentIndexAt } from "@/lib/transcript/playback";

const SEGMENTS = [
  { start: 0, end: 2.5 },
  { start: 2.5, end: 4 },
  { start: 6, end: 9.25 },
];

describe("segmentIndexAt", () => {
  it("finds the segment a time falls in, start inclusive and end exclusive", () => {
    expect(segmentIndexAt(SEGMENTS, 0)).toBe(0);
    expect(segmentIndexAt(SEGMENTS, 2.49)).toBe(0);
    expect(segmentIndexAt(SEGMENTS, 2.5)).toBe(1);
    expect(segmentIndexAt(SEGMENTS, 9.2)).toBe(2);
  });

  it("answers -1 in a gap, before the first and after the last segment, and for no segments", () => {
    expect(segmentIndexAt(SEGMENTS, 5)).toBe(-1);
    expect(segmentIndexAt(SEGMENTS, -1)).toBe(-1);
    expect(segmentIndexAt(SEGMENTS, 9.25)).toBe(-1);
    expect(segmentIndexAt([], 1)).toBe(-1);
  });

  it("picks the later of overlapping segments, and never a zero-length one", () => {
    const overlapping = [
      { start: 0, end: 5 },
      { start: 3, end: 4 },
      { start: 4, end: 4 },
    ];
    expect(segmentIndexAt(overlapping, 3.5)).toBe(1);
    expect(segmentIndexAt(overlapping, 4)).toBe(0);
    expect(segmentIndexAt(overlapping, 2)).toBe(0);
  });
});

describe("formatClock", () => {
  it("writes minutes and seconds, and hours only when there are some", () => {
    expect(formatClock(0)).toBe("0:00");
    expect(formatClock(7.9)).toBe("0:07");
    expect(formatClock(65)).toBe("1:05");
    expect(formatClock(3723)).toBe("1:02:03");
  });

  it("shows 0:00 for what a media element reports before it knows (NaN, Infinity, negative)", () => {
    expect(formatClock(Number.NaN)).toBe("0:00");
    expect(formatClock(Number.POSITIVE_INFINITY)).toBe("0:00");
    expect(formatClock(-3)).toBe("0:00");
  });
});
