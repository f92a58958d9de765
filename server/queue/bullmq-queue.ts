/**
 * The job queue on BullMQ over Redis (REDIS_URL), for installs with several backend machines.
 * Same contract as the embedded queue. Cancel travels as a flag key (read by the worker when a
 * job starts and ends) plus a pub/sub message that aborts the running handler at once.
 */
import { Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import { createLogger } from "@/lib/node/logger";
import { BullmqConsumer } from "@/server/queue/bullmq-consumer";
import {
  type JobData,
  parlaKeys,
  snapshotOf,
  statusOf,
  type Tombstone,
  tombstoneSchema,
  tombstoneSnapshot,
} from "@/server/queue/bullmq-jobs";
import { errorMessage } from "@/server/queue/outcome";
import {
  type Consumer,
  type ConsumerOptions,
  type JobListener,
  type JobQueue,
  type JobSnapshot,
  type NewJob,
  QueueFullError,
  type QueueOptions,
} from "@/server/queue/types";
import { JobWatchers } from "@/server/queue/watchers";

export interface BullmqQueueOptions extends QueueOptions {
  url: string;
  /** Redis key prefix (BullMQ's `prefix`); tests give each suite its own. */
  prefix?: string;
  name?: string;
  logger?: Logger;
}

/** Cancel flags outlive any run: a day is far beyond the longest job. */
const CANCEL_FLAG_TTL_SECONDS = 24 * 60 * 60;
/** remove() of a running job waits this long for its cancel to land before giving up. */
const REMOVE_WAIT_MS = 10_000;
const ACTIVE_STATES = ["waiting", "delayed", "prioritized", "waiting-children", "active"] as const;

export class BullmqQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly commands: Redis;
  private readonly keys: ReturnType<typeof parlaKeys>;
  private readonly watchers: JobWatchers;
  private readonly consumers = new Set<BullmqConsumer>();
  private readonly log: Logger;
  private readonly settings: Required<Omit<BullmqQueueOptions, "logger">>;
  private events: QueueEvents | undefined;
  private eventsConnection: Redis | undefined;
  private cancelListener: Redis | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: BullmqQueueOptions) {
    this.settings = {
      url: options.url,
      prefix: options.prefix ?? "parla",
      name: options.name ?? "jobs",
      maxAttempts: options.maxAttempts ?? LIMITS.queue.MAX_ATTEMPTS,
      retryBackoffMs: options.retryBackoffMs ?? LIMITS.queue.RETRY_BACKOFF_MS,
      maxDepth: options.maxDepth ?? LIMITS.queue.MAX_DEPTH,
      maxActivePerUser: options.maxActivePerUser ?? LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER,
    };
    this.log = options.logger ?? createLogger({ name: "queue", level: getConfig().logLevel });
    this.commands = new Redis(this.settings.url, { maxRetriesPerRequest: null });
    this.queue = new Queue(this.settings.name, { connection: this.commands, prefix: this.settings.prefix });
    this.queue.on("error", (error) => this.log.warn({ err: errorMessage(error) }, "queue error"));
    this.keys = parlaKeys(`${this.settings.prefix}:${this.settings.name}`);
    this.watchers = new JobWatchers(
      (id) => this.get(id),
      (error) => this.log.warn({ err: errorMessage(error) }, "queue subscriber read failed"),
    );
  }

  async add(job: NewJob): Promise<{ added: boolean }> {
    // BullMQ ignores a known jobId itself; checking first also answers `added` and keeps a
    // canceled-while-queued id (removed from BullMQ, remembered by its tombstone) from rerunning.
    if ((await this.queue.getJob(job.id)) || (await this.commands.exists(this.keys.tombstone(job.id))))
      return { added: false };
    // Checked before the add, so racing adds can pass the caps by a few: a bound, not a quota.
    if ((await this.depth()) >= this.settings.maxDepth) throw new QueueFullError("queue");
    if ((await this.activeCount(job.userId)) >= this.settings.maxActivePerUser)
      throw new QueueFullError("user");
    await this.commands.sadd(this.keys.userJobs(job.userId), job.id);
    const data: JobData = { userId: job.userId, kind: job.kind, payload: job.payload ?? null };
    await this.queue.add(job.kind, data, {
      jobId: job.id,
      attempts: job.maxAttempts ?? this.settings.maxAttempts,
      backoff: { type: "exponential", delay: this.settings.retryBackoffMs },
    });
    void this.watchers.refresh(job.id);
    return { added: true };
  }

  async get(id: string): Promise<JobSnapshot | null> {
    let job = await this.queue.getJob(id);
    if (job) {
      const state = await job.getState();
      // The job and its state are two reads: a job that ended between them is read again, so
      // a failed job is never shown without its reason, nor a finished one without its result.
      if ((state === "failed" || state === "completed") && !job.finishedOn) {
        job = (await this.queue.getJob(id)) ?? job;
      }
      return snapshotOf(job, state);
    }
    const tombstone = await this.readTombstone(id);
    return tombstone ? tombstoneSnapshot(tombstone) : null;
  }

  async cancel(id: string): Promise<boolean> {
    const job = await this.queue.getJob(id);
    if (!job) return false;
    const state = await job.getState();
    const status = statusOf(state, job.failedReason);
    if (status === "queued") {
      const snapshot = snapshotOf(job, state);
      const tombstone: Tombstone = {
        id,
        userId: snapshot?.userId ?? "",
        kind: snapshot?.kind ?? "",
        attempts: snapshot?.attempts ?? 0,
        maxAttempts: snapshot?.maxAttempts ?? 1,
        createdAt: job.timestamp,
        finishedAt: Date.now(),
      };
      // The tombstone goes first so no reader ever finds the job simply gone.
      await this.commands.set(this.keys.tombstone(id), JSON.stringify(tombstone));
      if ((await this.queue.remove(id)) === 1) {
        void this.watchers.refresh(id);
        return true;
      }
      // A worker took it meanwhile: cancel it as a running job instead.
      await this.commands.del(this.keys.tombstone(id));
    } else if (status !== "running") {
      return false;
    }
    await this.commands.set(this.keys.cancelFlag(id), "1", "EX", CANCEL_FLAG_TTL_SECONDS);
    for (const consumer of this.consumers) consumer.cancel(id);
    await this.commands.publish(this.keys.cancelChannel, id);
    return true;
  }

  async remove(id: string): Promise<boolean> {
    const known = (await this.queue.getJob(id)) !== undefined;
    const tombstoned = (await this.commands.del(this.keys.tombstone(id))) === 1;
    if (!known) return tombstoned;
    // BullMQ will not remove a locked (running) job: cancel it, then remove it once it ends.
    if ((await this.queue.getJobState(id)) === "active") {
      await this.cancel(id);
      const deadline = Date.now() + REMOVE_WAIT_MS;
      while ((await this.queue.getJobState(id)) === "active" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const removed = (await this.queue.remove(id)) === 1;
    if (removed) await this.commands.del(this.keys.cancelFlag(id));
    return removed;
  }

  async position(id: string): Promise<number | null> {
    const state = await this.queue.getJobState(id);
    if (statusOf(state, undefined) !== "queued") return null;
    // Oldest first: waiting jobs in the order workers take them, then those in backoff.
    const line = [
      ...(await this.queue.getRanges(["wait", "prioritized"], 0, -1, true)),
      ...(await this.queue.getRanges(["delayed"], 0, -1, true)),
    ];
    const index = line.indexOf(id);
    return index === -1 ? null : index + 1;
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts(...ACTIVE_STATES);
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /** Reads the user's set of job ids, dropping those that finished (however they ended). */
  async activeCount(userId: string): Promise<number> {
    const key = this.keys.userJobs(userId);
    let active = 0;
    for (const id of await this.commands.smembers(key)) {
      const state = await this.queue.getJobState(id);
      if ((ACTIVE_STATES as readonly string[]).includes(state)) active++;
      else await this.commands.srem(key, id);
    }
    return active;
  }

  subscribe(id: string, listener: JobListener): () => void {
    this.listenForEvents();
    return this.watchers.add(id, listener);
  }

  startConsumer(options: ConsumerOptions): Consumer {
    this.listenForCancels();
    const consumer = new BullmqConsumer(
      {
        url: this.settings.url,
        prefix: this.settings.prefix,
        name: this.settings.name,
        concurrency: options.concurrency,
        leaseMs: options.leaseMs ?? LIMITS.queue.LEASE_MS,
        handler: options.handler,
      },
      this.commands,
      this.log,
    );
    this.consumers.add(consumer);
    return {
      stop: async () => {
        await consumer.stop();
        this.consumers.delete(consumer);
      },
      abandon: async () => {
        this.consumers.delete(consumer);
        await consumer.abandon();
      },
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watchers.clear();
      await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
      this.consumers.clear();
      await this.events?.close();
      this.eventsConnection?.disconnect();
      this.cancelListener?.disconnect();
      await this.queue.close();
      this.commands.disconnect();
    })();
    return this.closing;
  }

  private async readTombstone(id: string): Promise<Tombstone | null> {
    const text = await this.commands.get(this.keys.tombstone(id));
    if (!text) return null;
    try {
      const parsed = tombstoneSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** BullMQ's event stream, read only while someone subscribes: every change re-reads the job. */
  private listenForEvents(): void {
    if (this.events) return;
    this.eventsConnection = new Redis(this.settings.url, { maxRetriesPerRequest: null });
    this.events = new QueueEvents(this.settings.name, {
      connection: this.eventsConnection,
      prefix: this.settings.prefix,
      // From now, not from when the first read happens to start: nothing in between is missed.
      lastEventId: `${Date.now()}-0`,
    });
    this.events.on("error", (error) => this.log.warn({ err: errorMessage(error) }, "queue events error"));
    const refresh = ({ jobId }: { jobId: string }) => void this.watchers.refresh(jobId);
    for (const event of [
      "waiting",
      "active",
      "progress",
      "completed",
      "failed",
      "removed",
      "delayed",
      "stalled",
    ])
      this.events.on(event as "active", refresh);
  }

  /** Cancels published by any process reach the handlers running in this one. */
  private listenForCancels(): void {
    if (this.cancelListener) return;
    this.cancelListener = new Redis(this.settings.url, { maxRetriesPerRequest: null });
    this.cancelListener.on("message", (_channel: string, id: string) => {
      for (const consumer of this.consumers) consumer.cancel(id);
    });
    void this.cancelListener.subscribe(this.keys.cancelChannel).catch((error: unknown) => {
      this.log.warn({ err: errorMessage(error) }, "queue cancel channel failed");
    });
  }
}
