import { describe, expect, it } from "vitest";
import { InFlightGate } from "./in-flight";

describe("in-flight gate", () => {
  it("admits up to the cap, refuses the next, and frees a place on release", () => {
    const gate = new InFlightGate(2);
    const first = gate.tryEnter();
    const second = gate.tryEnter();
    expect(first && second).toBeTruthy();
    expect(gate.tryEnter()).toBeNull();
    first?.();
    first?.(); // a second release must not free a place someone else holds
    expect(gate.inFlight).toBe(1);
    expect(gate.tryEnter()).not.toBeNull();
  });

  it("holds a place for the whole of the work, errors included", async () => {
    const gate = new InFlightGate(1);
    let finish: () => void = () => {};
    const slow = gate.run(
      () => new Promise<string>((resolve) => (finish = () => resolve("done"))),
      () => "full",
    );
    expect(
      await gate.run(
        async () => "ran",
        () => "full",
      ),
    ).toBe("full");
    finish();
    expect(await slow).toBe("done");
    await expect(
      gate.run(
        () => Promise.reject(new Error("boom")),
        () => "full",
      ),
    ).rejects.toThrow("boom");
    expect(gate.inFlight).toBe(0);
  });
});
