/** Blocks: every read and write of the blocks table. Expired rows are ignored, then swept. */
import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export type BlockKind = "network" | "account" | "api_key";
export type BlockSource = "admin" | "automatic";

export interface BlockRecord {
  id: string;
  kind: BlockKind;
  /** A canonical CIDR range, a user id or an API key id. */
  target: string;
  reason: string | null;
  source: BlockSource;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface NewBlock {
  kind: BlockKind;
  target: string;
  reason?: string | null;
  source: BlockSource;
  createdBy?: string | null;
  expiresAt?: Date | null;
}

function live(handle: DatabaseHandle, now: Date) {
  const { blocks } = handle.tables;
  return or(isNull(blocks.expiresAt), gt(blocks.expiresAt, now));
}

export async function insertBlock(handle: DatabaseHandle, input: NewBlock): Promise<BlockRecord> {
  const row: BlockRecord = {
    id: randomUUID(),
    kind: input.kind,
    target: input.target,
    reason: input.reason ?? null,
    source: input.source,
    createdBy: input.createdBy ?? null,
    createdAt: new Date(),
    expiresAt: input.expiresAt ?? null,
  };
  await handle.db.insert(handle.tables.blocks).values(row);
  return row;
}

/** Live blocks, newest first. */
export async function listActiveBlocks(
  handle: DatabaseHandle,
  { now = new Date(), limit }: { now?: Date; limit: number },
): Promise<BlockRecord[]> {
  const { blocks } = handle.tables;
  return handle.db
    .select()
    .from(blocks)
    .where(live(handle, now))
    .orderBy(desc(blocks.createdAt))
    .limit(limit);
}

export async function findActiveBlock(
  handle: DatabaseHandle,
  { kind, target, now = new Date() }: { kind: BlockKind; target: string; now?: Date },
): Promise<BlockRecord | undefined> {
  const { blocks } = handle.tables;
  const rows = await handle.db
    .select()
    .from(blocks)
    .where(and(eq(blocks.kind, kind), eq(blocks.target, target), live(handle, now)))
    .limit(1);
  return rows[0];
}

export async function findBlockById(handle: DatabaseHandle, id: string): Promise<BlockRecord | undefined> {
  const rows = await handle.db.select().from(handle.tables.blocks).where(eq(handle.tables.blocks.id, id));
  return rows[0];
}

/** Lifts a block; false when there was none with this id. */
export async function deleteBlock(handle: DatabaseHandle, id: string): Promise<boolean> {
  const { blocks } = handle.tables;
  const rows = await handle.db.delete(blocks).where(eq(blocks.id, id)).returning({ id: blocks.id });
  return rows.length > 0;
}

/** Removes blocks that have run out, so the table holds only what is in force. */
export async function deleteExpiredBlocks(handle: DatabaseHandle, now = new Date()): Promise<number> {
  const { blocks } = handle.tables;
  const rows = await handle.db.delete(blocks).where(lte(blocks.expiresAt, now)).returning({ id: blocks.id });
  return rows.length;
}

/** Every live block, for the in-process block list (app/_server/blocks/block-list.ts). */
export async function loadActiveBlocks(handle: DatabaseHandle, now = new Date()): Promise<BlockRecord[]> {
  return handle.db.select().from(handle.tables.blocks).where(live(handle, now));
}
