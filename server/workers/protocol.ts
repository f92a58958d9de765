/**
 * Messages between the backend and a worker process. Both ends parse with zod: a worker runs
 * hostile input and may be confused or compromised, so its words are data, never trusted shapes.
 */
import { z } from "zod";
import { type WorkerEngine, workerEngineSchema } from "@/lib/schemas/backend";

export const runMessageSchema = z.object({
  type: z.literal("run"),
  jobId: z.string().min(1),
  kind: z.string().min(1),
  attempt: z.number().int().positive(),
  payload: z.unknown(),
});

/** The backend asks a running job to stop; the worker answers `canceled` once it has. */
export const cancelMessageSchema = z.object({ type: z.literal("cancel"), jobId: z.string().min(1) });

/** Everything the backend sends a worker. */
export const backendMessageSchema = z.discriminatedUnion("type", [runMessageSchema, cancelMessageSchema]);

export const workerMessageSchema = z.discriminatedUnion("type", [
  /** Sent once the handler module's warm-up is done, with the models it loaded and their providers. */
  z.object({ type: z.literal("ready"), engines: z.array(workerEngineSchema).max(16).optional() }),
  z.object({
    type: z.literal("progress"),
    jobId: z.string(),
    fraction: z.number().min(0).max(1),
    stage: z.string().max(200),
  }),
  z.object({ type: z.literal("done"), jobId: z.string(), result: z.unknown() }),
  /** The job stopped because it was asked to; the worker is free for the next one. */
  z.object({ type: z.literal("canceled"), jobId: z.string() }),
  z.object({
    type: z.literal("failed"),
    jobId: z.string(),
    /** Safe to show: handlers throw JobInputError for the person's mistakes, anything else is generic. */
    message: z.string().max(2000),
    /** True when retrying cannot help (the input is bad). */
    permanent: z.boolean(),
    /** The ApiError code of an input refusal (`unprocessable:audio.corrupt`), so callers keep its 4xx. */
    code: z
      .string()
      .regex(/^[a-z_]+:[a-z0-9._]+$/)
      .max(100)
      .optional(),
  }),
]);

export type RunMessage = z.infer<typeof runMessageSchema>;
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

/** What a job handler gets besides its payload. */
export interface JobContext {
  jobId: string;
  attempt: number;
  progress(fraction: number, stage: string): void;
  /**
   * Aborted when the job is canceled. A handler passes it to the engines, which check it between
   * chunks and windows; a handler that stops soon keeps its worker (and its warm models), one
   * that does not is killed after LIMITS.workers.CANCEL_GRACE_MS.
   */
  signal: AbortSignal;
}

/** A worker module's default job table: kind → handler. */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<unknown>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;
/**
 * A handler module's optional start-up step, run before the worker says it is ready: it loads
 * and warms its models so the first job does not pay for that, and reports what runs where.
 */
export type WarmUp = () => Promise<WorkerEngine[]>;

/** Thrown by handlers for input that will never succeed: the job fails at once with this message. */
export class JobInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobInputError";
  }
}
