/**
 * Every statement the embedded queue runs against `queue_jobs`, on SQLite and PostgreSQL alike.
 * Each state change is one UPDATE guarded by the state it expects (and, for a running job, by
 * the claim's lease token), so two processes racing on a row can never both win: the loser's
 * UPDATE matches no row, and `returning` tells it so.
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { JOB_STATUSES, type JobSnapshot, WORKER_LOST } from "@/server/queue/types";

const jsonText = z.string().transform((text, ctx): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "not JSON" });
    return z.NEVER;
  }
});

/** A row as read back: checked, because another process (or version) may have written it. */
const rowSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  userId: z.string(),
  kind: z.string(),
  payload: jsonText,
  status: z.enum(JOB_STATUSES),
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  progress: z.number(),
  stage: z.string().nullable(),
  error: z.string().nullable(),
  result: jsonText.nullable(),
  cancelRequested: z.boolean(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.date().nullable(),
  availableAt: z.date(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type JobRow = z.infer<typeof rowSchema>;

/** A claimed job: the row plus the token that proves this claim still holds the lease. */
export interface Claim {
  row: JobRow;
  token: string;
}

/** How a run ended, as the consumer reports it. */
export type Finish =
  | { status: "succeeded"; result: string }
  | { status: "failed"; error: string }
  | { status: "queued"; error: string; availableAt: Date }
  | { status: "canceled" };

/** What a heartbeat learned: still ours, taken away (swept or removed), or cancel asked for. */
export type LeaseState = "held" | "lost" | "cancel";

interface LockableSelect {
  for(strength: "update", config: { skipLocked: boolean }): unknown;
}

export function toSnapshot(row: JobRow): JobSnapshot {
  return {
    id: row.id,
    userId: row.userId,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    progress: row.progress,
    stage: row.stage,
    error: row.error,
    result: row.result,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export class EmbeddedStore {
  constructor(private readonly handle: DatabaseHandle) {}

  private get db() {
    return this.handle.db;
  }

  private get t() {
    return this.handle.tables.queueJobs;
  }

  async get(id: string): Promise<JobRow | null> {
    const rows = await this.db.select().from(this.t).where(eq(this.t.id, id)).limit(1);
    return rows[0] ? rowSchema.parse(rows[0]) : null;
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.db.select({ id: this.t.id }).from(this.t).where(eq(this.t.id, id)).limit(1);
    return rows.length > 0;
  }

  /** Inserts at the back of the line; false when the id exists (idempotent add). */
  async insert(job: {
    id: string;
    userId: string;
    kind: string;
    payload: string;
    maxAttempts: number;
  }): Promise<boolean> {
    const now = new Date();
    const rows = await this.db
      .insert(this.t)
      .values({
        ...job,
        // The next place in line, computed inside the INSERT so no read-then-write gap opens.
        seq: sql`(select coalesce(max(seq), 0) + 1 from queue_jobs)`,
        status: "queued",
        availableAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: this.t.id });
    return rows.length > 0;
  }

  /**
   * Takes up to `limit` queued jobs, oldest first, in one UPDATE. On SQLite the statement holds
   * the write lock from its start (like BEGIN IMMEDIATE), so the inner SELECT and the UPDATE see
   * one state; on PostgreSQL `FOR UPDATE SKIP LOCKED` lets concurrent claimers pass each other's
   * rows instead of queueing behind them, and `status = 'queued'` is re-checked on the row.
   */
  async claim(limit: number, leaseMs: number): Promise<Claim[]> {
    const { t } = this;
    const now = new Date();
    const token = randomUUID();
    let next = this.db
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.status, "queued"), lte(t.availableAt, now)))
      .orderBy(asc(t.seq), asc(t.id))
      .limit(limit);
    let chosen = inArray(t.id, next);
    if (this.handle.kind === "postgres") {
      next = (next as unknown as LockableSelect).for("update", { skipLocked: true }) as typeof next;
      // `id IN (subquery … LIMIT n)` may be re-run by PostgreSQL's planner per row, and with
      // SKIP LOCKED each run picks other rows: it claimed every queued job. ARRAY(…) runs once.
      chosen = sql`${t.id} = any(array(${next}))`;
    }
    const rows = await this.db
      .update(t)
      .set({
        status: "running",
        attempts: sql`${t.attempts} + 1`,
        leaseOwner: token,
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
        progress: 0,
        stage: null,
        startedAt: now,
        updatedAt: now,
      })
      .where(and(eq(t.status, "queued"), chosen))
      .returning();
    return rows
      .map((row) => rowSchema.parse(row))
      .sort((a, b) => a.seq - b.seq || a.id.localeCompare(b.id))
      .map((row) => ({ row, token }));
  }

  private held(id: string, token: string) {
    return and(eq(this.t.id, id), eq(this.t.leaseOwner, token), eq(this.t.status, "running"));
  }

  /** Pushes the lease forward if this claim still holds it. */
  async heartbeat(id: string, token: string, leaseMs: number): Promise<LeaseState> {
    const rows = await this.db
      .update(this.t)
      .set({ leaseExpiresAt: new Date(Date.now() + leaseMs) })
      .where(this.held(id, token))
      .returning({ cancelRequested: this.t.cancelRequested });
    if (!rows[0]) return "lost";
    return rows[0].cancelRequested ? "cancel" : "held";
  }

  async progress(id: string, token: string, fraction: number, stage: string): Promise<boolean> {
    const rows = await this.db
      .update(this.t)
      .set({ progress: fraction, stage, updatedAt: new Date() })
      .where(this.held(id, token))
      .returning({ id: this.t.id });
    return rows.length > 0;
  }

  /**
   * Records how a run ended, if this claim still holds the lease. A cancel asked for while the
   * handler ran wins over its outcome: the job ends canceled and is never retried.
   */
  async finish(id: string, token: string, outcome: Finish): Promise<boolean> {
    const { t } = this;
    const now = new Date();
    const release = { leaseOwner: null, leaseExpiresAt: null, updatedAt: now };
    if (outcome.status !== "canceled") {
      const set =
        outcome.status === "succeeded"
          ? {
              status: "succeeded" as const,
              result: outcome.result,
              error: null,
              progress: 1,
              finishedAt: now,
            }
          : outcome.status === "failed"
            ? { status: "failed" as const, error: outcome.error, finishedAt: now }
            : { status: "queued" as const, error: outcome.error, availableAt: outcome.availableAt };
      const rows = await this.db
        .update(t)
        .set({ ...set, ...release })
        .where(and(this.held(id, token), eq(t.cancelRequested, false)))
        .returning({ id: t.id });
      if (rows.length > 0) return true;
    }
    const rows = await this.db
      .update(t)
      .set({ status: "canceled", finishedAt: now, ...release })
      .where(this.held(id, token))
      .returning({ id: t.id });
    return rows.length > 0;
  }

  /**
   * Takes back running jobs whose lease ran out (their consumer died or hung): canceled if a
   * cancel was asked for, failed with "worker lost" on the last try, else queued again.
   * Returns the ids changed.
   */
  async sweep(): Promise<string[]> {
    const { t } = this;
    const now = new Date();
    const release = { leaseOwner: null, leaseExpiresAt: null, updatedAt: now };
    const expired = and(eq(t.status, "running"), lt(t.leaseExpiresAt, now));
    const canceled = await this.db
      .update(t)
      .set({ status: "canceled", finishedAt: now, ...release })
      .where(and(expired, eq(t.cancelRequested, true)))
      .returning({ id: t.id });
    const failed = await this.db
      .update(t)
      .set({ status: "failed", error: WORKER_LOST, finishedAt: now, ...release })
      .where(and(expired, gte(t.attempts, t.maxAttempts)))
      .returning({ id: t.id });
    const requeued = await this.db
      .update(t)
      .set({ status: "queued", error: WORKER_LOST, availableAt: now, ...release })
      .where(expired)
      .returning({ id: t.id });
    return [...canceled, ...failed, ...requeued].map((row) => row.id);
  }

  /** "canceled": a queued job ended now; "requested": a running job was asked to stop. */
  async cancel(id: string): Promise<"canceled" | "requested" | null> {
    const { t } = this;
    const now = new Date();
    const queued = await this.db
      .update(t)
      .set({ status: "canceled", finishedAt: now, updatedAt: now })
      .where(and(eq(t.id, id), eq(t.status, "queued")))
      .returning({ id: t.id });
    if (queued.length > 0) return "canceled";
    const running = await this.db
      .update(t)
      .set({ cancelRequested: true, updatedAt: now })
      .where(and(eq(t.id, id), eq(t.status, "running")))
      .returning({ id: t.id });
    return running.length > 0 ? "requested" : null;
  }

  async remove(id: string): Promise<boolean> {
    const rows = await this.db.delete(this.t).where(eq(this.t.id, id)).returning({ id: this.t.id });
    return rows.length > 0;
  }

  async position(id: string): Promise<number | null> {
    const { t } = this;
    const [row] = await this.db.select({ seq: t.seq, status: t.status }).from(t).where(eq(t.id, id)).limit(1);
    if (row?.status !== "queued") return null;
    const [ahead] = await this.db
      .select({ n: count() })
      .from(t)
      .where(and(eq(t.status, "queued"), or(lt(t.seq, row.seq), and(eq(t.seq, row.seq), lt(t.id, id)))));
    return (ahead?.n ?? 0) + 1;
  }

  async countActive(userId?: string): Promise<number> {
    const { t } = this;
    const active = inArray(t.status, ["queued", "running"]);
    const [row] = await this.db
      .select({ n: count() })
      .from(t)
      .where(userId === undefined ? active : and(active, eq(t.userId, userId)));
    return row?.n ?? 0;
  }
}
