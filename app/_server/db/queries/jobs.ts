/** Every read and write of the jobs table. Callers pass the owner, so one person never reaches another's job. */
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/node/db/connect";

type JobRow = typeof import("@/app/_server/db/schema/sqlite").jobs.$inferSelect;
export type JobRecord = JobRow;
export type JobStatus = JobRow["status"];
export type JobKind = JobRow["kind"];

export const ACTIVE_STATUSES: readonly JobStatus[] = ["queued", "running"];

export async function insertJob(
  handle: DatabaseHandle,
  job: Pick<JobRow, "id" | "userId" | "kind" | "options" | "inputBytes" | "expiresAt">,
): Promise<void> {
  await handle.db.insert(handle.tables.jobs).values({ ...job, status: "queued", progress: 0 });
}

export async function findJob(handle: DatabaseHandle, id: string): Promise<JobRow | undefined> {
  const rows = await handle.db
    .select()
    .from(handle.tables.jobs)
    .where(eq(handle.tables.jobs.id, id))
    .limit(1);
  return rows[0];
}

export async function findOwnedJob(handle: DatabaseHandle, { id, userId }: { id: string; userId: string }) {
  const { jobs } = handle.tables;
  const rows = await handle.db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.userId, userId)))
    .limit(1);
  return rows[0];
}

export async function listJobs(handle: DatabaseHandle, { userId, limit }: { userId: string; limit: number }) {
  const { jobs } = handle.tables;
  return handle.db
    .select()
    .from(jobs)
    .where(eq(jobs.userId, userId))
    .orderBy(desc(jobs.createdAt))
    .limit(limit);
}

/** Every job still waiting or running, all people together (for reconciling with the queue). */
export async function activeJobs(handle: DatabaseHandle): Promise<JobRow[]> {
  const { jobs } = handle.tables;
  return handle.db
    .select()
    .from(jobs)
    .where(inArray(jobs.status, [...ACTIVE_STATUSES]));
}

export async function countActiveJobs(handle: DatabaseHandle, userId?: string): Promise<number> {
  const { jobs } = handle.tables;
  const active = inArray(jobs.status, [...ACTIVE_STATUSES]);
  const rows = await handle.db
    .select({ n: sql<number>`count(*)` })
    .from(jobs)
    .where(userId ? and(active, eq(jobs.userId, userId)) : active);
  return Number(rows[0]?.n ?? 0);
}

/** Queued jobs created before this one: its place in line is that count plus one. */
export async function queuePosition(handle: DatabaseHandle, job: Pick<JobRow, "createdAt">): Promise<number> {
  const { jobs } = handle.tables;
  const rows = await handle.db
    .select({ n: sql<number>`count(*)` })
    .from(jobs)
    .where(and(eq(jobs.status, "queued"), lt(jobs.createdAt, job.createdAt)));
  return Number(rows[0]?.n ?? 0) + 1;
}

export type JobUpdate = Partial<
  Pick<
    JobRow,
    | "status"
    | "progress"
    | "stage"
    | "error"
    | "engine"
    | "result"
    | "resultBytes"
    | "startedAt"
    | "finishedAt"
  >
>;

/**
 * Updates a job unless it already ended: a late progress message from a worker that was
 * canceled must not turn a canceled job back into a running one.
 */
export async function updateActiveJob(
  handle: DatabaseHandle,
  id: string,
  update: JobUpdate,
): Promise<boolean> {
  const { jobs } = handle.tables;
  const rows = await handle.db
    .update(jobs)
    .set(update)
    .where(and(eq(jobs.id, id), inArray(jobs.status, [...ACTIVE_STATUSES])))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

export async function deleteJobRow(handle: DatabaseHandle, id: string): Promise<void> {
  await handle.db.delete(handle.tables.jobs).where(eq(handle.tables.jobs.id, id));
}

/** Jobs past their retention time, oldest first, a batch at a time. */
export async function expiredJobs(handle: DatabaseHandle, { now, limit }: { now: Date; limit: number }) {
  const { jobs } = handle.tables;
  return handle.db
    .select({ id: jobs.id, userId: jobs.userId })
    .from(jobs)
    .where(lt(jobs.expiresAt, now))
    .orderBy(asc(jobs.expiresAt))
    .limit(limit);
}

export async function jobIdsOfUser(handle: DatabaseHandle, userId: string): Promise<string[]> {
  const { jobs } = handle.tables;
  const rows = await handle.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.userId, userId));
  return rows.map((row) => row.id);
}

/** How many jobs are in each status, for the admin page's queue state. */
export async function countJobsByStatus(handle: DatabaseHandle): Promise<Record<JobStatus, number>> {
  const { jobs } = handle.tables;
  const rows = await handle.db
    .select({ status: jobs.status, n: sql<number>`count(*)` })
    .from(jobs)
    .groupBy(jobs.status);
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
