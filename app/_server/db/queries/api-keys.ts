/**
 * API keys. A key is shown once at creation; only its SHA-256 and a short prefix are stored,
 * every lookup goes through the hash, and a revoked key stops working on its next request.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { type AnyApiKeyScope, API_KEY_PATTERN } from "@/lib/schemas/api-keys";

export interface ApiKeyRecord {
  id: string;
  userId: string;
  prefix: string;
  scopes: AnyApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");
const ALPHANUMERIC = /[^A-Za-z0-9]/g;

type Row = typeof import("@/app/_server/db/schema/sqlite").apiKeys.$inferSelect;
function toRecord({ keyHash: _hash, scopes, ...row }: Row): ApiKeyRecord {
  return { ...row, scopes: scopes.split(",") as AnyApiKeyScope[] };
}

export async function createApiKey(
  handle: DatabaseHandle,
  { userId, scopes }: { userId: string; scopes: AnyApiKeyScope[] },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const prefix = randomBytes(12).toString("base64").replace(ALPHANUMERIC, "").slice(0, 8).padEnd(8, "0");
  const key = `parla_${prefix}_${randomBytes(32).toString("base64url")}`;
  const row = {
    id: randomUUID(),
    userId,
    prefix: `parla_${prefix}`,
    keyHash: hashKey(key),
    scopes: scopes.join(","),
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await handle.db.insert(handle.tables.apiKeys).values(row);
  return { key, record: toRecord(row) };
}

/** The live key's record, its use recorded; undefined for malformed, unknown and revoked keys. */
export async function authenticateApiKey(
  handle: DatabaseHandle,
  key: string,
): Promise<ApiKeyRecord | undefined> {
  if (!API_KEY_PATTERN.test(key)) return undefined;
  const { apiKeys } = handle.tables;
  const rows = await handle.db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)))
    .returning();
  return rows[0] && toRecord(rows[0]);
}

/** Revokes by the key itself (the CLI) or by id for its owner (the account page). */
export async function revokeApiKey(
  handle: DatabaseHandle,
  which: { key: string } | { id: string; userId: string },
): Promise<boolean> {
  const { apiKeys } = handle.tables;
  const where =
    "key" in which
      ? eq(apiKeys.keyHash, hashKey(which.key))
      : and(eq(apiKeys.id, which.id), eq(apiKeys.userId, which.userId));
  const rows = await handle.db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(where, isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function listApiKeys(handle: DatabaseHandle, userId: string): Promise<ApiKeyRecord[]> {
  const { apiKeys } = handle.tables;
  const rows = await handle.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(toRecord);
}
