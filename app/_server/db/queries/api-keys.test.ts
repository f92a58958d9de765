import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import {
  authenticateApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
} from "@/app/_server/db/queries/api-keys";
import { createUser, deleteUser } from "@/app/_server/db/queries/users";
import { API_KEY_PATTERN } from "@/lib/schemas/api-keys";
import { describeEachDatabase } from "@/test/databases";

describeEachDatabase("api keys", (db) => {
  const user = () => createUser(db(), { email: `${randomUUID()}@example.com` });

  it("shows a key once and stores only its hash and prefix", async () => {
    const owner = await user();
    const { key, record } = await createApiKey(db(), { userId: owner.id, scopes: ["speech", "results"] });
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key.startsWith(`${record.prefix}_`)).toBe(true);
    const rows = await db().db.select().from(db().tables.apiKeys);
    expect(JSON.stringify(rows)).not.toContain(key.slice(record.prefix.length + 1));
    expect(record.scopes).toEqual(["speech", "results"]);
  });

  it("accepts the live key, records its use, and refuses unknown, malformed and revoked keys", async () => {
    const owner = await user();
    const { key, record } = await createApiKey(db(), { userId: owner.id, scopes: ["results"] });
    const used = await authenticateApiKey(db(), key);
    expect(used).toMatchObject({ id: record.id, userId: owner.id });
    expect(used?.lastUsedAt).toBeInstanceOf(Date);
    for (const other of [`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`, "parla_", "", `${key} `]) {
      expect(await authenticateApiKey(db(), other)).toBeUndefined();
    }
    const stranger = await user();
    expect(await revokeApiKey(db(), { id: record.id, userId: stranger.id })).toBe(false);
    expect(await revokeApiKey(db(), { key })).toBe(true);
    expect(await authenticateApiKey(db(), key)).toBeUndefined();
    expect((await listApiKeys(db(), owner.id))[0]?.revokedAt).toBeInstanceOf(Date);
  });

  it("goes with its account", async () => {
    const owner = await user();
    const { key } = await createApiKey(db(), { userId: owner.id, scopes: ["speech"] });
    await deleteUser(db(), { userId: owner.id });
    expect(await authenticateApiKey(db(), key)).toBeUndefined();
  });
});
