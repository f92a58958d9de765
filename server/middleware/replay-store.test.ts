import { describe, expect, it } from "vitest";
import { createMemoryReplayStore } from "@/server/middleware/replay-store";

function clock(startMs = 1_000_000) {
  const state = { nowMs: startMs };
  return { state, now: () => state.nowMs };
}

describe("memory replay store", () => {
  it("refuses a key it holds and forgets it after the ttl", async () => {
    const { state, now } = clock();
    const store = createMemoryReplayStore({ maxEntries: 10, now });
    expect(await store.claim("nonce-a", 5_000)).toBe("claimed");
    expect(await store.claim("nonce-a", 5_000)).toBe("replayed");
    state.nowMs += 4_999;
    expect(await store.claim("nonce-a", 5_000)).toBe("replayed");
    state.nowMs += 1;
    expect(await store.claim("nonce-a", 5_000)).toBe("claimed");
  });

  it("stays bounded: when full of live keys it refuses new ones instead of forgetting", async () => {
    const { state, now } = clock();
    const store = createMemoryReplayStore({ maxEntries: 2, now });
    expect(await store.claim("a", 60_000)).toBe("claimed");
    expect(await store.claim("b", 60_000)).toBe("claimed");
    expect(await store.claim("c", 60_000)).toBe("full");
    expect(await store.claim("a", 60_000)).toBe("replayed");
    state.nowMs += 60_000;
    expect(await store.claim("c", 60_000)).toBe("claimed");
    expect(await store.claim("d", 60_000)).toBe("claimed");
  });
});
