import { describe, expect, it } from "vitest";
import { readAhead } from "@/server/engines/tts/read-ahead";

/** A source whose values take `ms` to make, recording when each is asked for and finished. */
function slowSource(count: number, ms: number, log: string[], failAt?: number): AsyncGenerator<number> {
  return (async function* () {
    try {
      for (let i = 0; i < count; i++) {
        log.push(`start ${i}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (i === failAt) throw new Error(`failed making ${i}`);
        log.push(`made ${i}`);
        yield i;
      }
    } finally {
      log.push("closed");
    }
  })();
}

describe("readAhead", () => {
  it("starts making the next value before the caller is done with the current one", async () => {
    const log: string[] = [];
    const seen: number[] = [];
    for await (const value of readAhead(slowSource(3, 20, log))) {
      log.push(`handling ${value}`);
      seen.push(value);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(seen).toEqual([0, 1, 2]);
    // Value 1 was already being made when the caller got value 0, and so on.
    expect(log.indexOf("start 1")).toBeLessThan(log.indexOf("handling 0"));
    expect(log.indexOf("start 2")).toBeLessThan(log.indexOf("handling 1"));
    // Never more than one ahead: value 2 was asked for only once value 1 was handed out.
    expect(log.indexOf("start 2")).toBeGreaterThan(log.indexOf("handling 0"));
    expect(log.filter((entry) => entry === "closed")).toHaveLength(1);
  });

  it("closes the source after the value made ahead when the caller stops early", async () => {
    const log: string[] = [];
    for await (const value of readAhead(slowSource(5, 10, log))) if (value === 1) break;
    expect(log).toEqual(["start 0", "made 0", "start 1", "made 1", "start 2", "made 2", "closed"]);
  });

  it("reports the source's failure to the caller, in order", async () => {
    const log: string[] = [];
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of readAhead(slowSource(4, 5, log, 2))) seen.push(value);
      })(),
    ).rejects.toThrow("failed making 2");
    expect(seen).toEqual([0, 1]);
  });
});
