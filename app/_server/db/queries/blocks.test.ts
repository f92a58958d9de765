import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { listAudit, recordAudit } from "@/app/_server/db/queries/audit-log";
import {
  deleteBlock,
  deleteExpiredBlocks,
  findActiveBlock,
  insertBlock,
  listActiveBlocks,
  loadActiveBlocks,
} from "@/app/_server/db/queries/blocks";
import { createUser, listUsers } from "@/app/_server/db/queries/users";
import { describeEachDatabase } from "@/test/databases";

describeEachDatabase("blocks, audit log and the user listing", (db) => {
  it("lists live blocks only, finds one by target, lifts and sweeps", async () => {
    const target = `${randomUUID()}`;
    const past = new Date(Date.now() - 1000);
    const future = new Date(Date.now() + 60_000);
    const forever = await insertBlock(db(), { kind: "account", target, source: "admin", reason: "r" });
    const expired = await insertBlock(db(), {
      kind: "network",
      target: "192.0.2.0/24",
      source: "automatic",
      expiresAt: past,
    });
    const later = await insertBlock(db(), {
      kind: "api_key",
      target,
      source: "automatic",
      expiresAt: future,
    });
    const live = (await loadActiveBlocks(db())).map((block) => block.id);
    expect(live).toEqual(expect.arrayContaining([forever.id, later.id]));
    expect(live).not.toContain(expired.id);
    expect((await listActiveBlocks(db(), { limit: 1000 })).map((block) => block.id)).not.toContain(
      expired.id,
    );
    expect(await findActiveBlock(db(), { kind: "account", target })).toMatchObject({
      id: forever.id,
      reason: "r",
    });
    expect(await findActiveBlock(db(), { kind: "network", target: "192.0.2.0/24" })).toBeUndefined();
    expect((await findActiveBlock(db(), { kind: "api_key", target }))?.expiresAt?.getTime()).toBe(
      future.getTime(),
    );

    expect(await deleteBlock(db(), forever.id)).toBe(true);
    expect(await deleteBlock(db(), forever.id)).toBe(false);
    expect(await deleteExpiredBlocks(db())).toBeGreaterThanOrEqual(1);
    expect(await findActiveBlock(db(), { kind: "api_key", target })).toBeDefined();
  });

  it("keeps audit entries newest first with their details", async () => {
    const action = `test.${randomUUID()}`;
    await recordAudit(db(), { actorEmail: "cli", action, target: "a", detail: { from: "free", to: "pro" } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await recordAudit(db(), {
      actorEmail: "x@example.com",
      actorId: null,
      action,
      target: "b",
      ip: "192.0.2.1",
    });
    const entries = (await listAudit(db(), { limit: 100 })).filter((entry) => entry.action === action);
    expect(entries.map((entry) => entry.target)).toEqual(["b", "a"]);
    expect(entries[1]?.detail).toEqual({ from: "free", to: "pro" });
    expect(entries[0]?.ip).toBe("192.0.2.1");
  });

  it("searches accounts by part of the email or name, with LIKE wildcards taken literally", async () => {
    const tag = randomUUID().slice(0, 8);
    await createUser(db(), { email: `ada_${tag}@example.com`, name: "Ada Lovelace" });
    await createUser(db(), { email: `adax${tag}@example.com`, name: `Grace ${tag}` });
    const emails = async (query: string) =>
      (await listUsers(db(), { query, limit: 100 })).map((user) => user.email).sort();
    expect(await emails(`ada_${tag}`)).toEqual([`ada_${tag}@example.com`]);
    expect(await emails(tag)).toHaveLength(2);
    expect(await emails(`GRACE ${tag}`)).toEqual([`adax${tag}@example.com`]);
    expect(await emails(`%${tag}`)).toEqual([]);
    expect((await listUsers(db(), { limit: 1 })).length).toBe(1);
  });
});
