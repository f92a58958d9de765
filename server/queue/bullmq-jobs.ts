/**
 * What the BullMQ queue stores besides BullMQ's own keys, and how a BullMQ job reads back as a
 * JobSnapshot. Everything read from Redis is checked with zod: another process (or an older
 * version of this one) wrote it.
 */
import type { Job } from "bullmq";
import { z } from "zod";
import { type JobSnapshot, type JobStatus, WORKER_LOST } from "@/server/queue/types";

/** The failure reason BullMQ records for a job that was canceled while it ran. */
export const CANCELED_REASON = "parla:canceled";

/** BullMQ's own reason for a job that stalled too often; same meaning as ours. */
const STALLED_REASON = "job stalled more than allowable limit";

export const jobDataSchema = z.object({
  userId: z.string(),
  kind: z.string(),
  payload: z.unknown(),
});
export type JobData = z.infer<typeof jobDataSchema>;

const progressSchema = z.object({ fraction: z.number(), stage: z.string() });

/** A job canceled while queued is removed from BullMQ; this record answers for it afterwards. */
export const tombstoneSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  createdAt: z.number(),
  finishedAt: z.number(),
});
export type Tombstone = z.infer<typeof tombstoneSchema>;

/** Key names for one queue; `base` is BullMQ's own `prefix:name`. */
export function parlaKeys(base: string) {
  return {
    tombstone: (id: string) => `${base}:parla:canceled:${id}`,
    cancelFlag: (id: string) => `${base}:parla:cancel:${id}`,
    userJobs: (userId: string) => `${base}:parla:user:${userId}`,
    cancelChannel: `${base}:parla:cancel`,
  };
}

const QUEUED_STATES = new Set(["waiting", "delayed", "prioritized", "paused", "waiting-children"]);

export function statusOf(state: string, failedReason: string | undefined): JobStatus | null {
  if (QUEUED_STATES.has(state)) return "queued";
  if (state === "active") return "running";
  if (state === "completed") return "succeeded";
  if (state === "failed") return failedReason === CANCELED_REASON ? "canceled" : "failed";
  return null;
}

function reasonOf(failedReason: string | undefined): string | null {
  if (!failedReason || failedReason === CANCELED_REASON) return null;
  return failedReason === STALLED_REASON ? WORKER_LOST : failedReason;
}

export function snapshotOf(job: Job, state: string): JobSnapshot | null {
  const status = statusOf(state, job.failedReason);
  const data = jobDataSchema.safeParse(job.data);
  if (!status || !data.success || !job.id) return null;
  const progress = progressSchema.safeParse(job.progress);
  const maxAttempts = job.opts.attempts ?? 1;
  return {
    id: job.id,
    userId: data.data.userId,
    kind: data.data.kind,
    status,
    // A start past the last attempt only happens to fail the job as "worker lost": not a try.
    attempts: Math.min(job.attemptsStarted ?? 0, maxAttempts),
    maxAttempts,
    progress: status === "succeeded" ? 1 : progress.success ? progress.data.fraction : 0,
    stage: progress.success ? progress.data.stage : null,
    error: status === "succeeded" ? null : reasonOf(job.failedReason),
    result: status === "succeeded" ? (job.returnvalue ?? null) : null,
    createdAt: new Date(job.timestamp),
    startedAt: job.processedOn ? new Date(job.processedOn) : null,
    finishedAt:
      job.finishedOn && status !== "queued" && status !== "running" ? new Date(job.finishedOn) : null,
  };
}

export function tombstoneSnapshot(tombstone: Tombstone): JobSnapshot {
  return {
    id: tombstone.id,
    userId: tombstone.userId,
    kind: tombstone.kind,
    status: "canceled",
    attempts: tombstone.attempts,
    maxAttempts: tombstone.maxAttempts,
    progress: 0,
    stage: null,
    error: null,
    result: null,
    createdAt: new Date(tombstone.createdAt),
    startedAt: null,
    finishedAt: new Date(tombstone.finishedAt),
  };
}
