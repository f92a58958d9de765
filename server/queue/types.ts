/**
 * The job queue's one interface. Two implementations keep it: the embedded queue (the app's own
 * SQLite or PostgreSQL database) and BullMQ (Redis, for several backend machines). Both pass the
 * same conformance suite (queue.conformance.ts), so callers never ask which one they hold.
 */

// The statuses a person sees are the queue's own, so both share one list.
import { JOB_STATUSES, type JobStatus } from "@/lib/schemas/jobs";

export { JOB_STATUSES, type JobStatus };

/** What add() takes. `id` is the caller's: adding an id the queue already knows does nothing. */
export interface NewJob {
  id: string;
  userId: string;
  kind: string;
  /** Any JSON-serialisable value; it reaches the handler parsed again, never logged. */
  payload: unknown;
  /** Tries, the first included (default LIMITS.queue.MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/** A job as the outside sees it (get(), subscribe()). */
export interface JobSnapshot {
  id: string;
  userId: string;
  kind: string;
  status: JobStatus;
  /** Runs started so far (a retry and a reclaimed lease each count one). */
  attempts: number;
  maxAttempts: number;
  /** 0..1, as last reported by the handler. */
  progress: number;
  stage: string | null;
  /** Why the job failed (the last error's message, or "worker lost"); null otherwise. */
  error: string | null;
  /** The handler's resolved value once succeeded; null otherwise. */
  result: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** What a handler receives about the job it runs. */
export interface RunningJob {
  id: string;
  userId: string;
  kind: string;
  payload: unknown;
}

export interface JobContext {
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the job is canceled or this consumer lost the lease; stop work and settle. */
  signal: AbortSignal;
  /** Records progress (0..1) and a stage name; persisted, and seen by get() and subscribers. */
  progress(fraction: number, stage: string): Promise<void>;
}

/** Resolves with a JSON-serialisable result, or throws (PermanentJobError: no retry). */
export type JobHandler = (job: RunningJob, ctx: JobContext) => Promise<unknown>;

export interface ConsumerOptions {
  /** Handlers running at once in this consumer. */
  concurrency: number;
  /** How long a claim lasts without a heartbeat (default LIMITS.queue.LEASE_MS). */
  leaseMs?: number;
  handler: JobHandler;
}

export interface Consumer {
  /** Stops taking jobs and resolves once every running handler has settled and been recorded. */
  stop(): Promise<void>;
  /**
   * Stops at once without finishing, releasing or heartbeating its running jobs, as a killed
   * process would: for crash tests only. Their handlers' outcomes are ignored.
   */
  abandon(): Promise<void>;
}

export type JobListener = (job: JobSnapshot) => void;

export interface JobQueue {
  /** Enqueues at the back of the line; `added: false` when the id was already known. */
  add(job: NewJob): Promise<{ added: boolean }>;
  get(id: string): Promise<JobSnapshot | null>;
  /** Queued: canceled at once. Running: its signal aborts and it ends canceled, never retried. */
  cancel(id: string): Promise<boolean>;
  /** Forgets the job whatever its state (a running one has its signal aborted). */
  remove(id: string): Promise<boolean>;
  /** 1-based place in line of a queued job; null for any other state. */
  position(id: string): Promise<number | null>;
  /** Jobs queued or running, all users together. */
  depth(): Promise<number>;
  /** Jobs queued or running for one user. */
  activeCount(userId: string): Promise<number>;
  /** Calls `listener` with the job after each progress or state change; returns the unsubscribe. */
  subscribe(id: string, listener: JobListener): () => void;
  startConsumer(options: ConsumerOptions): Consumer;
  /** Stops every consumer this queue started (gracefully) and releases its connections. */
  close(): Promise<void>;
}

/** Thrown by a handler when another try cannot help (bad input): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

/** add() refuses a job beyond LIMITS.queue.MAX_DEPTH or MAX_ACTIVE_JOBS_PER_USER. */
export class QueueFullError extends Error {
  constructor(readonly scope: "queue" | "user") {
    super(scope === "queue" ? "the queue is full" : "too many jobs queued or running for this user");
    this.name = "QueueFullError";
  }
}

/** The failure reason of a job whose consumer stopped heartbeating on its last allowed try. */
export const WORKER_LOST = "worker lost";

/** Settings shared by both implementations; tests shorten them. */
export interface QueueOptions {
  maxAttempts?: number;
  retryBackoffMs?: number;
  maxDepth?: number;
  maxActivePerUser?: number;
}
