import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { insertJob } from "@/app/_server/db/queries/jobs";
import {
  createShare,
  hashShareToken,
  openShare,
  revokeShare,
  SHARE_TOKEN_PATTERN,
  sharesOfJob,
} from "@/app/_server/db/queries/shares";
import { createUser, deleteUser } from "@/app/_server/db/queries/users";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { describeEachDatabase } from "@/test/databases";

async function ownerWithJob(db: DatabaseHandle) {
  const user = await createUser(db, { email: `${randomUUID()}@example.com` });
  const jobId = randomUUID();
  await insertJob(db, {
    id: jobId,
    userId: user.id,
    kind: "speech",
    options: { voice: "af_heart" },
    inputBytes: 5,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { userId: user.id, jobId };
}

describeEachDatabase("share links", (db) => {
  it("stores only the token's hash, and the token carries 256 random bits", async () => {
    const { userId, jobId } = await ownerWithJob(db());
    const { token } = await createShare(db(), { jobId, userId, expiresAt: null });
    expect(token).toMatch(SHARE_TOKEN_PATTERN);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = await db().db.select().from(db().tables.shares);
    const row = rows.find((r) => r.jobId === jobId);
    expect(row?.tokenHash).toBe(hashShareToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("opens for the right token only, counting page views but not file reads", async () => {
    const { userId, jobId } = await ownerWithJob(db());
    const { token } = await createShare(db(), { jobId, userId, expiresAt: null });
    expect(await openShare(db(), token, { countView: true })).toMatchObject({ jobId, views: 1 });
    expect(await openShare(db(), token, { countView: false })).toMatchObject({ jobId, views: 1 });
    expect(await openShare(db(), token, { countView: true })).toMatchObject({ views: 2 });
    const wrong = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const other of [wrong, "", "short", `${token}x`, "../../etc/passwd"]) {
      expect(await openShare(db(), other, { countView: true })).toBeUndefined();
    }
    expect((await sharesOfJob(db(), jobId))[0]?.views).toBe(2);
  });

  it("refuses revoked and expired links, and only the owner can revoke", async () => {
    const { userId, jobId } = await ownerWithJob(db());
    const stranger = await ownerWithJob(db());
    const { token } = await createShare(db(), { jobId, userId, expiresAt: null });
    expect(await revokeShare(db(), { userId: stranger.userId, token })).toBe(false);
    expect(await openShare(db(), token, { countView: false })).toBeDefined();
    expect(await revokeShare(db(), { userId, token })).toBe(true);
    expect(await openShare(db(), token, { countView: false })).toBeUndefined();
    expect(await revokeShare(db(), { userId, token })).toBe(false);

    const soon = new Date(Date.now() + 60_000);
    const expiring = await createShare(db(), { jobId, userId, expiresAt: soon });
    expect(await openShare(db(), expiring.token, { countView: false })).toBeDefined();
    const later = new Date(soon.getTime() + 1);
    expect(await openShare(db(), expiring.token, { countView: false, now: later })).toBeUndefined();
  });

  it("goes with its job and its owner", async () => {
    const { userId, jobId } = await ownerWithJob(db());
    const { token } = await createShare(db(), { jobId, userId, expiresAt: null });
    await deleteUser(db(), { userId });
    expect(await openShare(db(), token, { countView: false })).toBeUndefined();
    expect(await sharesOfJob(db(), jobId)).toEqual([]);
  });
});
