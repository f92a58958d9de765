/**
 * One consumer of the BullMQ queue: a BullMQ Worker whose lock is the lease (lockDuration,
 * renewed by BullMQ) and whose stalled-job check hands a dead worker's jobs to a live one.
 * Retries and backoff are BullMQ's; this wrapper adds cancel, "worker lost" on the last
 * attempt, and the mapping of PermanentJobError to BullMQ's UnrecoverableError.
 */
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { CANCELED_REASON, jobDataSchema, parlaKeys } from "@/server/queue/bullmq-jobs";
import { clampProgress, errorMessage } from "@/server/queue/outcome";
import { type Consumer, type JobHandler, PermanentJobError, WORKER_LOST } from "@/server/queue/types";

/** BullMQ's own stall limit is set out of the way: attempts are counted per job, below. */
const UNLIMITED_STALLS = 1_000_000;
const CANCEL = "cancel";
const LEASE_LOST = "lease lost";

export interface BullmqConsumerSettings {
  url: string;
  prefix: string;
  name: string;
  concurrency: number;
  leaseMs: number;
  handler: JobHandler;
}

export class BullmqConsumer implements Consumer {
  readonly worker: Worker;
  private readonly connection: Redis;
  private readonly keys: ReturnType<typeof parlaKeys>;

  constructor(
    private readonly settings: BullmqConsumerSettings,
    private readonly commands: Redis,
    private readonly log: Logger,
  ) {
    this.keys = parlaKeys(`${settings.prefix}:${settings.name}`);
    // Workers block on Redis, so their connection must never give up on a command.
    this.connection = new Redis(settings.url, { maxRetriesPerRequest: null });
    this.worker = new Worker(settings.name, (job, _token, signal) => this.process(job, signal), {
      connection: this.connection,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      lockDuration: settings.leaseMs,
      // Checked four times per lease, as the embedded queue sweeps: a dead worker is noticed soon.
      stalledInterval: Math.max(100, Math.floor(settings.leaseMs / 4)),
      maxStalledCount: UNLIMITED_STALLS,
    });
    this.worker.on("lockRenewalFailed", (ids) => {
      for (const id of ids) this.worker.cancelJob(id, LEASE_LOST);
    });
    this.worker.on("error", (error) => this.log.warn({ err: errorMessage(error) }, "queue worker error"));
  }

  /** Aborts the job's signal if this worker is running it (the cancel channel calls this). */
  cancel(id: string): void {
    this.worker.cancelJob(id, CANCEL);
  }

  async stop(): Promise<void> {
    await this.worker.close();
    this.connection.disconnect();
  }

  async abandon(): Promise<void> {
    // Force-close stops lock renewal without touching the active jobs: they stall, as a
    // killed process's would, and a live worker's stalled check takes them back.
    await this.worker.close(true);
    this.connection.disconnect();
  }

  private async process(job: Job, signal: AbortSignal | undefined): Promise<unknown> {
    const id = job.id ?? "";
    const data = jobDataSchema.safeParse(job.data);
    if (!data.success) throw new UnrecoverableError("the job's data is unreadable");
    const maxAttempts = job.opts.attempts ?? 1;
    // Started more often than allowed: the earlier start's worker died on the last attempt.
    if (job.attemptsStarted > maxAttempts) throw new UnrecoverableError(WORKER_LOST);
    if (await this.cancelRequested(id)) throw new UnrecoverableError(CANCELED_REASON);

    const controller = new AbortController();
    signal?.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      const result = await this.settings.handler(
        { id, userId: data.data.userId, kind: data.data.kind, payload: data.data.payload },
        {
          attempt: job.attemptsStarted,
          signal: controller.signal,
          progress: (fraction, stage) => job.updateProgress({ fraction: clampProgress(fraction), stage }),
        },
      );
      outcome = { ok: true, result };
    } catch (error) {
      outcome = { ok: false, error };
    }
    // A cancel wins over the handler's outcome: the job ends canceled, never retried.
    if (signal?.reason === CANCEL || (await this.cancelRequested(id)))
      throw new UnrecoverableError(CANCELED_REASON);
    if (outcome.ok) return outcome.result ?? null;
    if (outcome.error instanceof PermanentJobError) throw new UnrecoverableError(errorMessage(outcome.error));
    throw new Error(errorMessage(outcome.error));
  }

  private async cancelRequested(id: string): Promise<boolean> {
    return (await this.commands.exists(this.keys.cancelFlag(id))) === 1;
  }
}
