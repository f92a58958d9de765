import { describe, expect, it } from "vitest";
import { contentRange, parseByteRange } from "./byte-range";

describe("parseByteRange", () => {
  it("reads the three single-range forms against the file's size", () => {
    expect(parseByteRange("bytes=0-", 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange("bytes=100-199", 1000)).toEqual({ start: 100, end: 199 });
    expect(parseByteRange("bytes=-300", 1000)).toEqual({ start: 700, end: 999 });
    // An end past the file, or a suffix longer than it, is cut to the file.
    expect(parseByteRange("bytes=900-5000", 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange("bytes=-5000", 1000)).toEqual({ start: 0, end: 999 });
  });

  it("answers the whole file for no range, another unit, several ranges or an unsatisfiable one", () => {
    for (const header of [
      undefined,
      null,
      "",
      "items=0-1",
      "bytes=0-1,5-6",
      "bytes=-",
      "bytes=-0",
      "bytes=1000-",
      "bytes=5-4",
      "bytes=abc-",
      "bytes=1234567890123456-",
    ]) {
      expect(parseByteRange(header, 1000), String(header)).toBeUndefined();
    }
    expect(parseByteRange("bytes=0-", 0)).toBeUndefined();
  });

  it("writes Content-Range as RFC 9110 spells it", () => {
    expect(contentRange({ start: 100, end: 199 }, 1000)).toBe("bytes 100-199/1000");
  });
});
