/**
 * The backend's jobs: creating them (after backpressure checks, before any upload is kept),
 * running them on the worker pool through the queue, cancelling, deleting and sweeping them.
 * The jobs table is the product's record; the queue transports work and holds leases.
 * A job's working folder (input, scratch, the worker's output) lives only while the job can
 * still run; finished results go to the ResultStore (local disk or S3).
 */

import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import type { Logger } from "pino";
import {
  ACTIVE_STATUSES,
  activeJobs,
  countActiveJobs,
  deleteJobRow,
  expiredJobs,
  findJob,
  findOwnedJob,
  insertJob,
  type JobRecord,
  jobIdsOfUser,
  listJobs,
  queuePosition,
  updateActiveJob,
} from "@/app/_server/db/queries/jobs";
import { sharesOfJob } from "@/app/_server/db/queries/shares";
import { findUserById } from "@/app/_server/db/queries/users";
import { ApiError } from "@/lib/errors";
import { LIMITS, retentionDays } from "@/lib/limits";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { type JobKind, type JobResult, type JobView, jobResultSchema } from "@/lib/schemas/jobs";
import { encodeJobError } from "@/server/jobs/job-error";
import {
  type JobContext,
  type JobQueue,
  PermanentJobError,
  QueueFullError,
  type RunningJob,
} from "@/server/queue/types";
import type { ResultStore } from "@/server/storage/result-store";
import type { WorkerPool } from "@/server/workers/pool";
import { WorkerFailure } from "@/server/workers/worker-failure";
import type { JobEvents } from "./job-events";
import type { JobFiles } from "./job-files";
import { toJobView } from "./job-view";
import type { WorkerPayload } from "./worker-payload";

export interface JobServiceDeps {
  db: DatabaseHandle;
  queue: JobQueue;
  pool: WorkerPool;
  files: JobFiles;
  results: ResultStore;
  events: JobEvents;
  logger: Logger;
}

export interface NewJob {
  userId: string;
  kind: JobKind;
  /** Non-secret settings, shown in the history. */
  options: Record<string, unknown>;
  /** The input, kept only in the job's folder: the text to speak or the recording. */
  input: { name: string; bytes: Uint8Array };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The refusal for a full queue (503) or a person at their own cap (429), with Retry-After. */
function busy(scope: QueueFullError["scope"]): ApiError {
  const headers = { "Retry-After": String(LIMITS.jobs.BUSY_RETRY_AFTER_SECONDS) };
  return scope === "queue"
    ? new ApiError(
        "unavailable",
        "queue",
        "The job queue is full; try again in a little while",
        undefined,
        headers,
      )
    : new ApiError(
        "rate_limited",
        "jobs",
        `You already have ${LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER} jobs waiting or running; wait for one to finish`,
        undefined,
        headers,
      );
}

export class JobService {
  private consumer: { stop(): Promise<void> } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly lastProgressWrite = new Map<string, number>();

  constructor(private readonly deps: JobServiceDeps) {}

  /** Refuses before anything is stored: queue full → 503, the person's own cap → 429. */
  async admit(userId: string): Promise<void> {
    if ((await countActiveJobs(this.deps.db)) >= LIMITS.queue.MAX_DEPTH) throw busy("queue");
    if ((await countActiveJobs(this.deps.db, userId)) >= LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER)
      throw busy("user");
  }

  async create(job: NewJob): Promise<{ id: string; status: "queued" }> {
    // The owner's tier is read here, from the same database the web app writes it to, so the
    // expiry follows the account as it is now and no caller can claim a longer one.
    const owner = await findUserById(this.deps.db, { id: job.userId });
    if (!owner) throw new ApiError("not_found", "user", "No such user");
    await this.admit(job.userId);
    const id = randomUUID();
    // Files first, then the row, then the queue: a crash in between leaves a row that the
    // reconciler puts on the queue, never a queue entry without its input.
    await this.deps.files.create(id);
    await writeFile(this.deps.files.file(id, job.input.name), job.input.bytes, { mode: 0o600 });
    const days = retentionDays(owner.tier);
    await insertJob(this.deps.db, {
      id,
      userId: job.userId,
      kind: job.kind,
      options: { ...job.options, input: job.input.name },
      inputBytes: job.input.bytes.byteLength,
      expiresAt: new Date(Date.now() + days * DAY_MS),
    });
    await this.enqueue({ id, userId: job.userId, kind: job.kind });
    return { id, status: "queued" };
  }

  async view(job: JobRecord): Promise<JobView> {
    const [position, shares] = await Promise.all([
      job.status === "queued" ? this.position(job) : Promise.resolve(null),
      sharesOfJob(this.deps.db, job.id),
    ]);
    return toJobView(job, { position, shares });
  }

  /**
   * Place in line from the queue itself (the order workers take jobs, on every backend that
   * shares it). In the moment between the row's insert and the queue's add, or while a claimed
   * job's row still says queued, the table's count of older queued jobs stands in.
   */
  private async position(job: JobRecord): Promise<number> {
    return (await this.deps.queue.position(job.id)) ?? (await queuePosition(this.deps.db, job));
  }

  async get(userId: string, id: string): Promise<JobView> {
    return this.view(await this.owned(userId, id));
  }

  async list(userId: string): Promise<JobView[]> {
    const rows = await listJobs(this.deps.db, { userId, limit: LIMITS.jobs.LIST_MAX });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async owned(userId: string, id: string): Promise<JobRecord> {
    const job = await findOwnedJob(this.deps.db, { id, userId });
    // Someone else's job and no job look the same from outside.
    if (!job) throw new ApiError("not_found", "job", "No such job");
    return job;
  }

  /** DELETE: a job still waiting or running is canceled; a finished one is deleted with its files. */
  async cancelOrDelete(userId: string, id: string): Promise<"canceled" | "deleted"> {
    const job = await this.owned(userId, id);
    if (ACTIVE_STATUSES.includes(job.status)) {
      await this.cancel(id);
      return "canceled";
    }
    await this.delete(job);
    return "deleted";
  }

  async cancel(id: string): Promise<void> {
    const before = await findJob(this.deps.db, id);
    await updateActiveJob(this.deps.db, id, {
      status: "canceled",
      finishedAt: new Date(),
      stage: "canceled",
    });
    await this.deps.queue.cancel(id);
    // A running job's folder is removed by its own run once the worker has stopped.
    if (before?.status === "queued") await this.deps.files.remove(id);
    this.deps.events.changed(id);
    this.deps.events.lineMoved();
  }

  /**
   * Gone from the queue, the working folder, the result store and the database (its share
   * links cascade with the row). The row goes last: if the store cannot delete now, the job
   * is still listed and the next sweep or a second delete tries again.
   */
  async delete(job: Pick<JobRecord, "id" | "userId">): Promise<void> {
    await this.deps.queue.cancel(job.id).catch(() => undefined);
    await this.deps.queue.remove(job.id).catch(() => undefined);
    await this.deps.files.remove(job.id);
    await this.deps.results.removeJob({ userId: job.userId, jobId: job.id });
    await deleteJobRow(this.deps.db, job.id);
    this.deps.events.changed(job.id);
    this.deps.events.lineMoved();
  }

  /** "Delete everything I own": every job, file, stored result and link of this person. */
  async deleteAllOf(userId: string): Promise<number> {
    const ids = await jobIdsOfUser(this.deps.db, userId);
    for (const id of ids) await this.delete({ id, userId });
    // Anything stored under the person without a row (a crash between upload and insert) too.
    await this.deps.results.removeUser(userId);
    return ids.length;
  }

  async sweepExpired(now = new Date()): Promise<number> {
    const expired = await expiredJobs(this.deps.db, { now, limit: LIMITS.jobs.SWEEP_BATCH });
    for (const job of expired) await this.delete(job);
    if (expired.length) this.deps.logger.info({ count: expired.length }, "retention sweep deleted jobs");
    return expired.length;
  }

  /**
   * Every row that is waiting or running must be on the queue; a row whose queue entry ended
   * without the handler (a lease that ran out too often) takes the queue's verdict.
   */
  async reconcile(): Promise<void> {
    for (const job of await activeJobs(this.deps.db)) {
      const entry = await this.deps.queue.get(job.id);
      if (!entry) await this.enqueue(job);
      else if (entry.status === "failed" || entry.status === "canceled") {
        await updateActiveJob(this.deps.db, job.id, {
          status: entry.status,
          error: entry.status === "failed" ? (entry.error ?? "The job failed") : null,
          finishedAt: new Date(),
        });
        await this.deps.files.remove(job.id);
        this.deps.events.changed(job.id);
      }
    }
  }

  start({ concurrency }: { concurrency: number }): void {
    this.consumer = this.deps.queue.startConsumer({
      concurrency,
      handler: (job, context) => this.run(job, context),
    });
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(() => {
        task().catch((error) => this.deps.logger.error({ err: error }, "periodic job task failed"));
      }, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(LIMITS.jobs.RECONCILE_INTERVAL_MS, () => this.reconcile());
    every(LIMITS.jobs.SWEEP_INTERVAL_MS, () => this.sweepExpired());
    void this.reconcile().catch((error) => this.deps.logger.error({ err: error }, "reconcile failed"));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.consumer?.stop();
  }

  private async enqueue(job: Pick<JobRecord, "id" | "userId" | "kind">) {
    try {
      await this.deps.queue.add({ id: job.id, userId: job.userId, kind: job.kind, payload: {} });
    } catch (error) {
      // Two requests racing past admit(): the loser's job is removed with its files, not left queued.
      if (!(error instanceof QueueFullError)) throw error;
      await this.deps.files.remove(job.id);
      await deleteJobRow(this.deps.db, job.id);
      throw busy(error.scope);
    }
  }

  /** The queue's handler: one attempt of one job, on a worker process. */
  private async run(job: RunningJob, context: JobContext): Promise<JobResult> {
    const record = await findJob(this.deps.db, job.id);
    if (!record || !ACTIVE_STATUSES.includes(record.status)) {
      throw new PermanentJobError("The job was canceled or deleted");
    }
    await updateActiveJob(this.deps.db, job.id, {
      status: "running",
      startedAt: new Date(),
      progress: 0,
      stage: "starting",
      error: null,
    });
    this.deps.events.changed(job.id);
    this.deps.events.lineMoved();
    const payload: WorkerPayload = {
      dir: this.deps.files.dir(job.id),
      scratch: this.deps.files.scratch(job.id),
      input: this.deps.files.file(job.id, String(record.options.input)),
      options: record.options,
    };
    try {
      const raw = await this.deps.pool.run(
        { id: job.id, kind: record.kind, attempt: context.attempt, payload },
        {
          signal: context.signal,
          onProgress: (fraction, stage) => this.progress(job.id, fraction, stage, context),
        },
      );
      const result = jobResultSchema.parse(raw);
      // Stored before the row says succeeded: a crash in between retries the job, and its
      // second save replaces the first. The working folder goes only after the row is written.
      const key = { userId: record.userId, jobId: job.id };
      await updateActiveJob(this.deps.db, job.id, { stage: "saving" });
      this.deps.events.changed(job.id);
      for (const file of result.files) {
        await this.deps.results.put(key, file.name, {
          path: this.deps.files.file(job.id, file.name),
          mime: file.mime,
        });
      }
      const recorded = await updateActiveJob(this.deps.db, job.id, {
        status: "succeeded",
        progress: 1,
        stage: "done",
        result,
        engine: result.engine ?? null,
        resultBytes: result.files.reduce((sum, file) => sum + file.bytes, 0),
        finishedAt: new Date(),
      });
      // Canceled or deleted while it finished: nothing may stay stored for a job nobody lists.
      if (!recorded) await this.deps.results.removeJob(key);
      await this.deps.files.remove(job.id);
      return result;
    } catch (error) {
      await this.deps.files.clearScratch(job.id);
      await this.failed(job.id, error, context);
      // A job that will not run again keeps no working files.
      const after = await findJob(this.deps.db, job.id);
      if (!after || !ACTIVE_STATUSES.includes(after.status)) await this.deps.files.remove(job.id);
      throw error instanceof WorkerFailure && error.permanent ? new PermanentJobError(error.message) : error;
    } finally {
      this.lastProgressWrite.delete(job.id);
      this.deps.events.changed(job.id);
    }
  }

  private async failed(id: string, error: unknown, context: JobContext) {
    if (context.signal.aborted) return; // canceled: cancel() already wrote the row
    const permanent = error instanceof WorkerFailure && error.permanent;
    const message =
      error instanceof WorkerFailure
        ? encodeJobError(error.message, error.code)
        : "The job failed while processing";
    const maxAttempts = (await this.deps.queue.get(id))?.maxAttempts ?? LIMITS.queue.MAX_ATTEMPTS;
    const last = permanent || context.attempt >= maxAttempts;
    await updateActiveJob(
      this.deps.db,
      id,
      last
        ? { status: "failed", error: message, finishedAt: new Date(), stage: "failed" }
        : { status: "queued", stage: `retrying after: ${message}`, progress: 0 },
    );
  }

  private progress(id: string, fraction: number, stage: string, context: JobContext) {
    void context.progress(fraction, stage).catch(() => undefined);
    this.deps.events.progressed(id);
    const now = Date.now();
    if (now - (this.lastProgressWrite.get(id) ?? 0) < LIMITS.jobs.PROGRESS_WRITE_INTERVAL_MS) return;
    this.lastProgressWrite.set(id, now);
    void updateActiveJob(this.deps.db, id, { progress: fraction, stage })
      .then(() => this.deps.events.changed(id))
      .catch((error) => this.deps.logger.warn({ err: error, jobId: id }, "progress write failed"));
  }
}
