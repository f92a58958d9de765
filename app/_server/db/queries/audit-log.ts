/** The admin audit log: append-only from the app; read newest first by the admin page and API. */
import { randomUUID } from "node:crypto";
import { desc } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export interface AuditEntry {
  id: string;
  actorId: string | null;
  /** The admin's email, or "cli" / "settings" / "system" for actions without a person behind a session. */
  actorEmail: string;
  /** e.g. "block.add", "block.remove", "user.role", "user.tier". */
  action: string;
  /** What was acted on: a block's target, a user's email. Never a secret. */
  target: string;
  detail: Record<string, unknown> | null;
  ip: string | null;
  createdAt: Date;
}

export type NewAuditEntry = Omit<AuditEntry, "id" | "createdAt" | "detail" | "ip" | "actorId"> & {
  actorId?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
};

export async function recordAudit(handle: DatabaseHandle, entry: NewAuditEntry): Promise<AuditEntry> {
  const row: AuditEntry = {
    id: randomUUID(),
    actorId: entry.actorId ?? null,
    actorEmail: entry.actorEmail,
    action: entry.action,
    target: entry.target,
    detail: entry.detail ?? null,
    ip: entry.ip ?? null,
    createdAt: new Date(),
  };
  await handle.db.insert(handle.tables.auditLog).values(row);
  return row;
}

export async function listAudit(handle: DatabaseHandle, { limit }: { limit: number }): Promise<AuditEntry[]> {
  const { auditLog } = handle.tables;
  return handle.db.select().from(auditLog).orderBy(desc(auditLog.createdAt)).limit(limit);
}
