import { describe, expect, it } from "vitest";
import { RateLimiter } from "./limiter";
import { MemoryStore } from "./memory-store";
import { definePolicy } from "./policies";
import { describeStoreConformance } from "./store.conformance";
import { StoreUnavailableError } from "./types";

describeStoreConformance({
  name: "memory",
  store: () => new MemoryStore(),
  // The in-process store's only outage: full of live counters.
  downStore: async () => {
    const store = new MemoryStore({ maxKeys: 1 });
    await store.consume("occupant", { limit: 1, windowSeconds: 3600 });
    return store;
  },
});

describe("memory store", () => {
  it("starts a new window when the old one ends", async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 10);
    const store = new MemoryStore({ now: () => now });
    const window = { limit: 1, windowSeconds: 60 };
    expect(await store.consume("k", window)).toMatchObject({ allowed: true, resetSeconds: 50 });
    expect((await store.consume("k", window)).allowed).toBe(false);
    now += 50_000;
    expect(await store.consume("k", window)).toMatchObject({ allowed: true, resetSeconds: 60 });
  });

  it("sweeps expired counters instead of growing, and refuses only when full of live ones", async () => {
    let now = Date.UTC(2030, 0, 1);
    const store = new MemoryStore({ maxKeys: 3, now: () => now });
    for (const key of ["a", "b", "c"]) await store.consume(key, { limit: 1, windowSeconds: 60 });
    await expect(store.consume("d", { limit: 1, windowSeconds: 60 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    // Known keys still count while the map is full.
    expect((await store.consume("a", { limit: 1, windowSeconds: 60 })).allowed).toBe(false);
    now += 60_000;
    expect((await store.consume("d", { limit: 1, windowSeconds: 60 })).allowed).toBe(true);
    expect(store.size).toBe(1);
  });

  it("does not spend the hourly quota on requests the minute window refused", async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const limiter = new RateLimiter({ store: new MemoryStore({ now: () => now }) });
    const policy = definePolicy({
      name: "burst",
      windows: [
        { limit: 2, windowSeconds: 60 },
        { limit: 10, windowSeconds: 3600 },
      ],
      identity: "ip",
      failMode: "closed",
    });
    for (let i = 0; i < 5; i++) await limiter.check(policy, "ip:198.51.100.1");
    now += 60_000;
    const next = await limiter.check(policy, "ip:198.51.100.1");
    expect(next.outcome).toBe("allowed");
    expect(next.headers.RateLimit).toBe('"burst-minute";r=1;t=60, "burst-hour";r=7;t=3540');
  });

  it("refuses a cost larger than the window at once and rejects nonsense costs", async () => {
    const store = new MemoryStore();
    expect((await store.consume("big", { limit: 3, windowSeconds: 60, cost: 4 })).allowed).toBe(false);
    await expect(store.consume("bad", { limit: 3, windowSeconds: 60, cost: 0 })).rejects.toThrow(RangeError);
  });
});
