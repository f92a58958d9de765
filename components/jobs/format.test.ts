import { describe, expect, it } from "vitest";
import { describeWait, formatKeptUntil, ordinal } from "./format";

describe("job card wording", () => {
  it("says a place in line as an English ordinal", () => {
    const said = [1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal);
    expect(said).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "10th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "23rd",
      "101st",
      "111th",
      "112th",
    ]);
    expect(describeWait(3)).toBe("3rd in line");
    expect(describeWait(null)).toBe("Waiting in line");
  });

  it("names the day a result is deleted", () => {
    expect(formatKeptUntil("2026-11-30T12:00:00.000Z")).toBe("Kept until Nov 30, 2026");
  });
});
