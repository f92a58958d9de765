import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import { RATE_LIMITS } from "@/lib/limits";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { describeEachDatabase } from "@/test/databases";
import { checkSignIn } from "./sign-in";

const PASSWORD = "correct horse battery";
const PER_MINUTE = RATE_LIMITS["sign-in-account"].windows[0].limit;
const PER_IP_PER_MINUTE = RATE_LIMITS["sign-in-ip"].windows[0].limit;

// A clock pinned to the start of a minute: every attempt below falls in one window.
const limiter = () =>
  new RateLimiter({ store: new MemoryStore({ now: () => Date.UTC(2030, 0, 1, 12, 0, 1) }) });
const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describeEachDatabase("sign-in rate limits", (db) => {
  const account = async () => {
    const email = `${randomUUID()}@example.com`;
    await createUser(db(), { email, password: PASSWORD });
    return email;
  };

  it("counts every attempt at one account, from any address: past the limit even the right password waits", async () => {
    const deps = { db: db(), limiter: limiter() };
    const email = await account();
    for (let i = 0; i < PER_MINUTE; i++) {
      expect(await checkSignIn(deps, { email, password: PASSWORD, ip: ip() })).toMatchObject({ ok: true });
    }
    const refused = await checkSignIn(deps, { email: email.toUpperCase(), password: PASSWORD, ip: ip() });
    expect(refused).toMatchObject({ ok: false, reason: "throttled", retryAfterSeconds: 59 });
  });

  it("counts every attempt from one address, whichever account it names", async () => {
    const deps = { db: db(), limiter: limiter() };
    const address = "203.0.113.9";
    for (let i = 0; i < PER_IP_PER_MINUTE; i++) {
      const email = await account();
      expect(await checkSignIn(deps, { email, password: PASSWORD, ip: address })).toMatchObject({ ok: true });
    }
    const refused = await checkSignIn(deps, { email: await account(), password: PASSWORD, ip: address });
    expect(refused).toMatchObject({ ok: false, reason: "throttled" });
    // Someone else is not affected.
    expect(await checkSignIn(deps, { email: await account(), password: PASSWORD, ip: ip() })).toMatchObject({
      ok: true,
    });
  });

  it("lets exactly the limit of 20 parallel guesses reach the password check", async () => {
    const deps = { db: db(), limiter: limiter() };
    const email = await account();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        checkSignIn(deps, { email, password: `wrong guess ${i}!!`, ip: ip() }),
      ),
    );
    expect(results.filter((result) => !result.ok && result.reason === "invalid")).toHaveLength(PER_MINUTE);
    expect(results.filter((result) => !result.ok && result.reason === "throttled")).toHaveLength(
      20 - PER_MINUTE,
    );
  });

  it("fails closed when the limiter's store cannot answer", async () => {
    const full = new MemoryStore({ maxKeys: 1 });
    await full.consume("occupant", { limit: 1, windowSeconds: 3600 });
    const deps = { db: db(), limiter: new RateLimiter({ store: full }) };
    const result = await checkSignIn(deps, { email: await account(), password: PASSWORD, ip: ip() });
    expect(result).toMatchObject({ ok: false, reason: "unavailable" });
  });
});
