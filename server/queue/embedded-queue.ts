/**
 * The job queue kept in the app's own database (SQLite or PostgreSQL), for one-machine installs
 * with no Redis. Jobs are rows, so they survive restarts; claims are leases, so a consumer that
 * dies gives its jobs back once its lease runs out. See embedded-store.ts for the statements.
 */
import type { Logger } from "pino";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { createLogger } from "@/lib/node/logger";
import { EmbeddedConsumer, type LocalRuns } from "@/server/queue/embedded-consumer";
import { EmbeddedStore, toSnapshot } from "@/server/queue/embedded-store";
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

export interface EmbeddedQueueOptions extends QueueOptions {
  pollIntervalMs?: number;
  subscribePollMs?: number;
  logger?: Logger;
}

/** One registry per database handle: queues sharing a handle see each other's runs and adds. */
const localRunsByHandle = new WeakMap<DatabaseHandle, LocalRuns>();

function localRuns(handle: DatabaseHandle): LocalRuns {
  let runs = localRunsByHandle.get(handle);
  if (!runs) {
    runs = { aborts: new Map(), wakers: new Set() };
    localRunsByHandle.set(handle, runs);
  }
  return runs;
}

export class EmbeddedQueue implements JobQueue {
  private readonly store: EmbeddedStore;
  private readonly local: LocalRuns;
  private readonly watchers: JobWatchers;
  private readonly consumers = new Set<Consumer>();
  private readonly log: Logger;
  private watchTimer: NodeJS.Timeout | undefined;
  private readonly settings: Required<Omit<EmbeddedQueueOptions, "logger">>;

  constructor(handle: DatabaseHandle, options: EmbeddedQueueOptions = {}) {
    this.store = new EmbeddedStore(handle);
    this.local = localRuns(handle);
    this.log = options.logger ?? createLogger({ name: "queue", level: getConfig().logLevel });
    this.settings = {
      maxAttempts: options.maxAttempts ?? LIMITS.queue.MAX_ATTEMPTS,
      retryBackoffMs: options.retryBackoffMs ?? LIMITS.queue.RETRY_BACKOFF_MS,
      maxDepth: options.maxDepth ?? LIMITS.queue.MAX_DEPTH,
      maxActivePerUser: options.maxActivePerUser ?? LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER,
      pollIntervalMs: options.pollIntervalMs ?? LIMITS.queue.POLL_INTERVAL_MS,
      subscribePollMs: options.subscribePollMs ?? LIMITS.queue.SUBSCRIBE_POLL_MS,
    };
    this.watchers = new JobWatchers(
      (id) => this.get(id),
      (error) => this.log.warn({ err: errorMessage(error) }, "queue subscriber read failed"),
    );
  }

  async add(job: NewJob): Promise<{ added: boolean }> {
    if (await this.store.exists(job.id)) return { added: false };
    // The caps are checked before the insert, so racing adds can pass them by a few jobs:
    // they bound load, they are not a quota.
    if ((await this.store.countActive()) >= this.settings.maxDepth) throw new QueueFullError("queue");
    if ((await this.store.countActive(job.userId)) >= this.settings.maxActivePerUser)
      throw new QueueFullError("user");
    const added = await this.store.insert({
      id: job.id,
      userId: job.userId,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      maxAttempts: job.maxAttempts ?? this.settings.maxAttempts,
    });
    if (added) {
      for (const wake of this.local.wakers) wake();
      void this.watchers.refresh(job.id);
    }
    return { added };
  }

  async get(id: string): Promise<JobSnapshot | null> {
    const row = await this.store.get(id);
    return row ? toSnapshot(row) : null;
  }

  async cancel(id: string): Promise<boolean> {
    const outcome = await this.store.cancel(id);
    if (outcome === "requested") this.local.aborts.get(id)?.abort();
    if (outcome) void this.watchers.refresh(id);
    return outcome !== null;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.store.remove(id);
    // A running handler here learns at once; one elsewhere at its next heartbeat (lease lost).
    if (removed) this.local.aborts.get(id)?.abort();
    return removed;
  }

  position(id: string): Promise<number | null> {
    return this.store.position(id);
  }

  depth(): Promise<number> {
    return this.store.countActive();
  }

  activeCount(userId: string): Promise<number> {
    return this.store.countActive(userId);
  }

  subscribe(id: string, listener: JobListener): () => void {
    const unsubscribe = this.watchers.add(id, listener);
    // Changes made by other processes are only seen by reading again; poll while anyone listens.
    this.watchTimer ??= setInterval(() => {
      if (this.watchers.size === 0) {
        clearInterval(this.watchTimer);
        this.watchTimer = undefined;
        return;
      }
      for (const watched of this.watchers.ids()) void this.watchers.refresh(watched);
    }, this.settings.subscribePollMs);
    return unsubscribe;
  }

  startConsumer(options: ConsumerOptions): Consumer {
    const consumer = new EmbeddedConsumer(
      this.store,
      {
        concurrency: options.concurrency,
        leaseMs: options.leaseMs ?? LIMITS.queue.LEASE_MS,
        pollIntervalMs: this.settings.pollIntervalMs,
        retryBackoffMs: this.settings.retryBackoffMs,
        handler: options.handler,
      },
      this.local,
      (id) => void this.watchers.refresh(id),
      this.log,
    );
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    this.watchers.clear();
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.consumers.clear();
  }
}
