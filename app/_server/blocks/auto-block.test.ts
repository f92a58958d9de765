/**
 * Automatic abuse blocks end to end inside one process: strikes counted on the real stores
 * (memory, and the Redis on this machine), the block written to a real SQLite file, enforced by
 * the proxy and by the API's caller check, listed as automatic, and gone when it expires or an
 * admin lifts it. Thresholds are injected small; the constants stay as they are.
 */
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { liftBlock } from "@/app/_server/admin/admin-actions";
import { placeAutomaticBlock } from "@/app/_server/blocks/auto-block";
import { BlockList } from "@/app/_server/blocks/block-list";
import { getDatabase } from "@/app/_server/db/client";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { insertBlock, listActiveBlocks, loadActiveBlocks } from "@/app/_server/db/queries/blocks";
import { createUser } from "@/app/_server/db/queries/users";
import { AbuseMonitor, type AbusePolicy, strikeFor } from "@/lib/rate-limit/abuse-monitor";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { RedisStore } from "@/lib/rate-limit/redis-store";
import type { RateLimitStore } from "@/lib/rate-limit/types";
import { proxy } from "@/proxy";
import { stubEmbeddedEnv } from "@/test/embedded-env";
import { deleteRedisKeys, hasRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "@/test/redis";

stubEmbeddedEnv("auto-block");
const prefix = uniqueRedisPrefix("abuse");
const stores: RateLimitStore[] = [];

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  if (hasRedis) await deleteRedisKeys(prefix);
});

const POLICY: AbusePolicy = { maxRateLimited: 3, maxInvalid: 2, windowSeconds: 60, blockSeconds: 3 };
// For the cases that do not wait for expiry: long enough to outlast a slow first import.
const LONG_POLICY: AbusePolicy = { ...POLICY, blockSeconds: 600 };
const SYSTEM_ADMIN = { id: null, email: "cli", ip: null };

function monitorOn(store: RateLimitStore, policy = POLICY) {
  stores.push(store);
  return new AbuseMonitor({
    store,
    policy,
    namespace: `${randomUUID()}:`,
    onAbuse: async (identity, strike, blockSeconds) =>
      placeAutomaticBlock(await getDatabase(), { identity, strike, blockSeconds }),
  });
}

const page = (address: string) =>
  proxy(new NextRequest("http://localhost/", { headers: { "x-forwarded-for": address } }));
const jobsAs = async (key: string) => {
  const { GET } = await import("@/app/api/jobs/route");
  return GET(new NextRequest("http://localhost/api/jobs", { headers: { authorization: `Bearer ${key}` } }));
};

const harnesses: [string, () => RateLimitStore][] = [["memory", () => new MemoryStore()]];
if (hasRedis) harnesses.push(["redis", () => new RedisStore({ url: TEST_REDIS_URL, prefix })]);

let octet = 10;
for (const [name, makeStore] of harnesses) {
  describe(`automatic blocks, counted on ${name}`, () => {
    it("blocks an address after too many 429s, lists it as automatic, and lets it back when it expires", async () => {
      const monitor = monitorOn(makeStore());
      const address = `192.0.2.${octet++}`;
      for (let i = 0; i < POLICY.maxRateLimited; i++) {
        expect(await monitor.record(`ip:${address}`, "rate_limited")).toBe(false);
      }
      expect((await page(address)).status).toBe(200);
      expect(await monitor.record(`ip:${address}`, "rate_limited")).toBe(true);
      // A burst past the threshold places one block, not one per strike.
      await monitor.record(`ip:${address}`, "rate_limited");

      const listed = (await listActiveBlocks(await getDatabase(), { limit: 100 })).filter(
        (block) => block.target === `${address}/32`,
      );
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ kind: "network", source: "automatic" });
      const refused = await page(address);
      expect(refused.status).toBe(403);
      const { error } = (await refused.json()) as { error: { blockedUntil: string } };
      expect(Date.parse(error.blockedUntil) - Date.now()).toBeLessThanOrEqual(POLICY.blockSeconds * 1000);
      expect((await page(`192.0.2.${octet + 50}`)).status).toBe(200);

      await new Promise((resolve) => setTimeout(resolve, POLICY.blockSeconds * 1000 + 100));
      expect((await page(address)).status).toBe(200);
    });

    it("blocks an account after too many invalid requests; an admin lifts it and it is let back at once", async () => {
      const monitor = monitorOn(makeStore(), LONG_POLICY);
      const db = await getDatabase();
      const user = await createUser(db, { email: `${randomUUID()}@example.com` });
      const { key } = await createApiKey(db, { userId: user.id, scopes: ["results"] });
      expect(await monitor.record(`user:${user.id}`, "invalid")).toBe(false);
      // Strikes of the other kind count apart.
      expect(await monitor.record(`user:${user.id}`, "rate_limited")).toBe(false);
      expect(await monitor.record(`user:${user.id}`, "invalid")).toBe(false);
      expect(await monitor.record(`user:${user.id}`, "invalid")).toBe(true);

      const refused = await jobsAs(key);
      expect(refused.status).toBe(403);
      const block = (await listActiveBlocks(db, { limit: 100 })).find((entry) => entry.target === user.id);
      expect(block).toMatchObject({ kind: "account", source: "automatic" });
      await liftBlock(db, SYSTEM_ADMIN, block?.id ?? "");
      expect((await jobsAs(key)).status).not.toBe(403);
    });

    it("blocks a misbehaving API key alone, not the account's other keys", async () => {
      const monitor = monitorOn(makeStore(), LONG_POLICY);
      const db = await getDatabase();
      const user = await createUser(db, { email: `${randomUUID()}@example.com` });
      const noisy = await createApiKey(db, { userId: user.id, scopes: ["results"] });
      const quiet = await createApiKey(db, { userId: user.id, scopes: ["results"] });
      for (let i = 0; i <= POLICY.maxInvalid; i++) await monitor.record(`key:${noisy.record.id}`, "invalid");
      expect((await jobsAs(noisy.key)).status).toBe(403);
      expect((await jobsAs(quiet.key)).status).not.toBe(403);
    });
  });
}

describe("strikes", () => {
  it("count 429s and validation refusals, nothing else", () => {
    expect(strikeFor(429)).toBe("rate_limited");
    for (const status of [400, 413, 415, 422]) expect(strikeFor(status)).toBe("invalid");
    for (const status of [200, 201, 401, 403, 404, 409, 500, 503]) expect(strikeFor(status)).toBeUndefined();
  });
});

describe("the block list cache", () => {
  it("sees another process's block within its TTL, and its own change at once", async () => {
    const db = await getDatabase();
    let now = Date.now();
    const list = new BlockList({ load: () => loadActiveBlocks(db), ttlMs: 5_000, now: () => now });
    const user = await createUser(db, { email: `${randomUUID()}@example.com` });
    expect(await list.matchAccount(user.id)).toBeUndefined();
    // Written as the CLI or another web process would: this list is not told.
    await insertBlock(db, { kind: "account", target: user.id, source: "admin" });
    expect(await list.matchAccount(user.id)).toBeUndefined();
    now += 5_001;
    expect(await list.matchAccount(user.id)).toBeDefined();

    const other = await createUser(db, { email: `${randomUUID()}@example.com` });
    await insertBlock(db, {
      kind: "account",
      target: other.id,
      source: "admin",
      expiresAt: new Date(now + 1_000),
    });
    list.invalidate();
    expect(await list.matchAccount(other.id)).toBeDefined();
    // Expiry is checked at match time, cached or not.
    now += 1_001;
    expect(await list.matchAccount(other.id)).toBeUndefined();
  });

  it("keeps enforcing the last list it read when a reload fails", async () => {
    const db = await getDatabase();
    const user = await createUser(db, { email: `${randomUUID()}@example.com` });
    await insertBlock(db, { kind: "account", target: user.id, source: "admin" });
    let now = Date.now();
    let failing = false;
    const list = new BlockList({
      load: () => (failing ? Promise.reject(new Error("database down")) : loadActiveBlocks(db)),
      ttlMs: 1_000,
      now: () => now,
    });
    expect(await list.matchAccount(user.id)).toBeDefined();
    failing = true;
    now += 1_001;
    expect(await list.matchAccount(user.id)).toBeDefined();
    // With nothing read yet, a failure is not silently "nothing is blocked".
    const empty = new BlockList({ load: () => Promise.reject(new Error("database down")), ttlMs: 1_000 });
    await expect(empty.matchAccount(user.id)).rejects.toThrow("database down");
  });
});
