/**
 * Share links. A token is 256 random bits shown to its owner once; only its SHA-256 is stored,
 * and every lookup goes through the hash, so the table alone opens nothing.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/node/db/connect";

type ShareRow = typeof import("@/app/_server/db/schema/sqlite").shares.$inferSelect;
export type ShareRecord = Omit<ShareRow, "tokenHash">;

/** base64url of 32 bytes: 43 characters. */
export const SHARE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashShareToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createShare(
  handle: DatabaseHandle,
  { jobId, userId, expiresAt }: { jobId: string; userId: string; expiresAt: Date | null },
): Promise<{ token: string; share: ShareRecord }> {
  const token = randomBytes(32).toString("base64url");
  const share = {
    id: randomUUID(),
    jobId,
    userId,
    expiresAt,
    views: 0,
    createdAt: new Date(),
    revokedAt: null,
  };
  await handle.db.insert(handle.tables.shares).values({ ...share, tokenHash: hashShareToken(token) });
  return { token, share };
}

/**
 * The live share for a token, counting a view when asked (the page counts, its file requests
 * do not). Unknown, malformed, revoked and expired tokens all give undefined, so a caller
 * cannot tell them apart.
 */
export async function openShare(
  handle: DatabaseHandle,
  token: string,
  { countView, now = new Date() }: { countView: boolean; now?: Date },
) {
  if (!SHARE_TOKEN_PATTERN.test(token)) return undefined;
  const { shares } = handle.tables;
  const live = and(
    eq(shares.tokenHash, hashShareToken(token)),
    isNull(shares.revokedAt),
    or(isNull(shares.expiresAt), gt(shares.expiresAt, now)),
  );
  const columns = { id: shares.id, jobId: shares.jobId, userId: shares.userId, views: shares.views };
  const rows = countView
    ? await handle.db
        .update(shares)
        .set({ views: sql`${shares.views} + 1` })
        .where(live)
        .returning(columns)
    : await handle.db.select(columns).from(shares).where(live).limit(1);
  return rows[0];
}

/** Revokes by token (the owner holds it) or by id; only the owner's own shares. */
export async function revokeShare(
  handle: DatabaseHandle,
  { userId, token, id }: { userId: string; token?: string; id?: string },
): Promise<boolean> {
  const { shares } = handle.tables;
  const which = token ? eq(shares.tokenHash, hashShareToken(token)) : eq(shares.id, id ?? "");
  const rows = await handle.db
    .update(shares)
    .set({ revokedAt: new Date() })
    .where(and(which, eq(shares.userId, userId), isNull(shares.revokedAt)))
    .returning({ id: shares.id });
  return rows.length > 0;
}

export async function sharesOfJob(handle: DatabaseHandle, jobId: string): Promise<ShareRecord[]> {
  const { shares } = handle.tables;
  const rows = await handle.db.select().from(shares).where(eq(shares.jobId, jobId));
  return rows.map(({ tokenHash: _hash, ...share }) => share);
}
