import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { checkSignIn } from "@/app/_server/auth/sign-in";
import {
  createUser,
  deleteUser,
  EmailTakenError,
  findOrCreateOAuthUser,
  findUserByEmail,
  setPassword,
  verifyCredentials,
} from "@/app/_server/db/queries/users";
import { LIMITS } from "@/lib/limits";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { describeEachDatabase } from "@/test/databases";

const email = () => `${randomUUID()}@example.com`;
const PASSWORD = "correct horse battery";

describeEachDatabase("users", (db) => {
  it("creates an account with a scrypt hash and refuses a second one with the same email", async () => {
    const address = email();
    const user = await createUser(db(), { email: address, password: PASSWORD, name: "Ada" });
    expect(user).toMatchObject({
      email: address,
      name: "Ada",
      role: "user",
      sessionVersion: 1,
      hasPassword: true,
    });
    const [row] = await db().db.select().from(db().tables.users).where(eq(db().tables.users.id, user.id));
    expect(row?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row?.passwordHash).not.toContain(PASSWORD);
    await expect(createUser(db(), { email: address, password: PASSWORD })).rejects.toBeInstanceOf(
      EmailTakenError,
    );
  });

  it("verifies only the right password, and unknown emails cost the same hashing work", async () => {
    const address = email();
    await createUser(db(), { email: address, password: PASSWORD });
    expect(await verifyCredentials(db(), { email: address, password: PASSWORD })).toMatchObject({
      email: address,
    });
    expect(await verifyCredentials(db(), { email: address, password: "wrong password!" })).toBeNull();
    // Time both paths after warm-up: they must be within the same order of magnitude.
    await verifyCredentials(db(), { email: "nobody@example.com", password: PASSWORD });
    const time = async (who: string) => {
      const start = performance.now();
      await verifyCredentials(db(), { email: who, password: "wrong password!" });
      return performance.now() - start;
    };
    const known = await time(address);
    const unknown = await time("nobody@example.com");
    expect(unknown).toBeGreaterThan(known / 3);
    expect(unknown).toBeLessThan(known * 3);
  });

  it("backs off after repeated failures, per account, and says how long to wait", async () => {
    const address = email();
    await createUser(db(), { email: address, password: PASSWORD });
    const attempt = (password: string, ip = "203.0.113.7") =>
      checkSignIn(
        { db: db(), limiter: new RateLimiter({ store: new MemoryStore() }) },
        { email: address, password, ip },
      );
    for (let i = 0; i < LIMITS.auth.FAILURES_BEFORE_BACKOFF; i++) {
      expect(await attempt("wrong password!")).toEqual({ ok: false, reason: "invalid" });
    }
    const throttled = await attempt(PASSWORD, "198.51.100.1");
    expect(throttled).toMatchObject({ ok: false, reason: "throttled" });
    expect(
      throttled.ok === false && throttled.reason === "throttled" && throttled.retryAfterSeconds,
    ).toBeGreaterThan(LIMITS.auth.BACKOFF_BASE_SECONDS - 2);
  });

  it("changing the password bumps the session version", async () => {
    const user = await createUser(db(), { email: email(), password: PASSWORD });
    const updated = await setPassword(db(), { userId: user.id, password: "another long password" });
    expect(updated?.sessionVersion).toBe(2);
    expect(await verifyCredentials(db(), { email: user.email, password: PASSWORD })).toBeNull();
  });

  it("links OAuth identities by email and deleting an account removes its links", async () => {
    const address = email();
    const first = await findOrCreateOAuthUser(db(), {
      provider: "github",
      providerAccountId: "42",
      email: address,
      name: "Octo",
    });
    expect(first.hasPassword).toBe(false);
    const again = await findOrCreateOAuthUser(db(), {
      provider: "github",
      providerAccountId: "42",
      email: "changed@example.com",
      name: null,
    });
    expect(again.id).toBe(first.id);
    await deleteUser(db(), { userId: first.id });
    expect(await findUserByEmail(db(), { email: address })).toBeUndefined();
    const links = await db().db.select().from(db().tables.oauthAccounts);
    expect(links.filter((link) => link.userId === first.id)).toEqual([]);
  });
});
