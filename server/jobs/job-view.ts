/** A job row (plus its shares and place in line) → the wire shape every API returns. */
import type { JobRecord } from "@/app/_server/db/queries/jobs";
import type { ShareRecord } from "@/app/_server/db/queries/shares";
import { type JobView, jobResultSchema } from "@/lib/schemas/jobs";
import { decodeJobError } from "@/server/jobs/job-error";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Seconds left, from the pace so far; none until there is a pace to go by. */
export function estimateSecondsLeft(
  job: Pick<JobRecord, "status" | "progress" | "startedAt">,
  now = Date.now(),
) {
  if (job.status !== "running" || !job.startedAt || job.progress <= 0.02) return null;
  const elapsed = (now - job.startedAt.getTime()) / 1000;
  return Math.max(0, Math.round((elapsed * (1 - job.progress)) / job.progress));
}

export function toJobView(
  job: JobRecord,
  extra: { position: number | null; shares: ShareRecord[] },
): JobView {
  const result = jobResultSchema.safeParse(job.result);
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    stage: job.stage,
    ...decodeJobError(job.error),
    position: job.status === "queued" ? extra.position : null,
    etaSeconds: estimateSecondsLeft(job),
    options: job.options,
    engine: job.engine,
    result: result.success ? result.data : null,
    inputBytes: job.inputBytes,
    resultBytes: job.resultBytes,
    createdAt: job.createdAt.toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    expiresAt: job.expiresAt.toISOString(),
    shares: extra.shares.map((share) => ({
      id: share.id,
      views: share.views,
      createdAt: share.createdAt.toISOString(),
      expiresAt: iso(share.expiresAt),
      revokedAt: iso(share.revokedAt),
    })),
  };
}
