/**
 * The behaviour every RateLimitStore must show, run against each real store by its own test
 * file (memory, Redis, Upstash REST). Windows are long (an hour) where the test counts, so a
 * run cannot straddle a window boundary and see a fresh window mid-test.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RateLimiter } from "./limiter";
import { definePolicy } from "./policies";
import { type RateLimitStore, StoreUnavailableError } from "./types";

export interface StoreHarness {
  name: string;
  /** A working store; the suite gives every test its own keys. */
  store: () => RateLimitStore;
  /** A store whose backend refuses connections (or, for memory, has no room). */
  downStore?: () => Promise<RateLimitStore>;
  /** A store whose backend accepts requests and never answers. */
  slowStore?: () => Promise<RateLimitStore>;
}

const HOUR = 3600;
const freshKey = () => `conformance:${randomBytes(6).toString("hex")}`;

export function describeStoreConformance(harness: StoreHarness): void {
  describe(`${harness.name} store conformance`, () => {
    const opened: RateLimitStore[] = [];
    const track = (store: RateLimitStore) => {
      opened.push(store);
      return store;
    };
    afterAll(async () => {
      await Promise.all(opened.map((store) => store.close()));
    });

    it("lets exactly `limit` of 200 concurrent requests through", async () => {
      const store = harness.store();
      const key = freshKey();
      const results = await Promise.all(
        Array.from({ length: 200 }, () => store.consume(key, { limit: 10, windowSeconds: HOUR })),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(10);
      expect(results.every((result) => result.remaining >= 0 && result.limit === 10)).toBe(true);
    });

    it("counts remaining down to zero, then refuses", async () => {
      const store = harness.store();
      const key = freshKey();
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const result = await store.consume(key, { limit: 5, windowSeconds: HOUR });
        expect(result.allowed).toBe(true);
        remaining.push(result.remaining);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      const refused = await store.consume(key, { limit: 5, windowSeconds: HOUR });
      expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 5 });
    });

    it("reports a reset within the window", async () => {
      const store = harness.store();
      for (const windowSeconds of [60, HOUR]) {
        const { resetSeconds } = await store.consume(freshKey(), { limit: 1, windowSeconds });
        expect(Number.isInteger(resetSeconds)).toBe(true);
        expect(resetSeconds).toBeGreaterThanOrEqual(1);
        expect(resetSeconds).toBeLessThanOrEqual(windowSeconds);
      }
    });

    it("keeps keys and window lengths apart", async () => {
      const store = harness.store();
      const a = freshKey();
      await store.consume(a, { limit: 1, windowSeconds: HOUR });
      expect((await store.consume(a, { limit: 1, windowSeconds: HOUR })).allowed).toBe(false);
      expect((await store.consume(freshKey(), { limit: 1, windowSeconds: HOUR })).allowed).toBe(true);
      expect((await store.consume(a, { limit: 1, windowSeconds: 2 * HOUR })).allowed).toBe(true);
    });

    it("charges weighted requests, and a request that does not fit spends nothing", async () => {
      const store = harness.store();
      const key = freshKey();
      const window = { limit: 10, windowSeconds: HOUR };
      expect(await store.consume(key, { ...window, cost: 4 })).toMatchObject({ allowed: true, remaining: 6 });
      expect(await store.consume(key, { ...window, cost: 4 })).toMatchObject({ allowed: true, remaining: 2 });
      expect(await store.consume(key, { ...window, cost: 4 })).toMatchObject({
        allowed: false,
        remaining: 2,
      });
      expect(await store.consume(key, { ...window, cost: 2 })).toMatchObject({ allowed: true, remaining: 0 });
    });

    it("enforces a policy's second (hourly) window through the limiter", async () => {
      const limiter = new RateLimiter({ store: harness.store(), namespace: `${freshKey()}:` });
      const policy = definePolicy({
        name: "conformance",
        windows: [
          { limit: 3, windowSeconds: HOUR },
          { limit: 5, windowSeconds: 60 },
        ],
        identity: "ip",
        failMode: "closed",
      });
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.check(policy, "ip:192.0.2.1"));
      expect(decisions.slice(0, 3).map((d) => d.outcome)).toEqual(["allowed", "allowed", "allowed"]);
      const refused = decisions[3];
      expect(refused).toMatchObject({ outcome: "limited", status: 429, window: "conformance-hour" });
      expect(refused?.headers["Retry-After"]).toMatch(/^[1-9]\d*$/);
      expect(refused?.headers.RateLimit).toContain('"conformance-hour";r=0;t=');
      expect(decisions[0]?.headers["RateLimit-Policy"]).toBe(
        '"conformance-minute";q=5;w=60, "conformance-hour";q=3;w=3600',
      );
      // Another identity is untouched.
      expect((await limiter.check(policy, "ip:192.0.2.2")).outcome).toBe("allowed");
    });

    const { downStore, slowStore } = harness;
    const outage = [
      ...(downStore ? [["down", downStore] as const] : []),
      ...(slowStore ? [["slow", slowStore] as const] : []),
    ];
    for (const [state, makeStore] of outage) {
      it(`reports a ${state} store as unavailable: closed policies refuse, open ones pass`, async () => {
        const store = track(await makeStore());
        const consumed = store.consume(freshKey(), { limit: 5, windowSeconds: 60 });
        await expect(consumed).rejects.toBeInstanceOf(StoreUnavailableError);
        if (state === "slow") await expect(consumed).rejects.toMatchObject({ failure: "timeout" });

        const limiter = new RateLimiter({ store, timeoutMs: 300 });
        const base = { windows: [{ limit: 5, windowSeconds: 60 }], identity: "ip" } as const;
        const closed = await limiter.check(
          definePolicy({ ...base, name: "closed", failMode: "closed" }),
          "ip:x",
        );
        expect(closed).toMatchObject({ outcome: "unavailable", status: 503 });
        expect(closed.headers["Retry-After"]).toMatch(/^[1-9]\d*$/);
        const open = await limiter.check(definePolicy({ ...base, name: "open", failMode: "open" }), "ip:x");
        expect(open).toMatchObject({ outcome: "unmetered", status: 200 });
      });
    }
  });
}
