/**
 * Builds the backend's job machinery from the settings: database, queue (embedded, or BullMQ
 * when REDIS_URL is set), worker pool, files and events, wired into one JobService.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { Config } from "@/lib/config/schema";
import { LIMITS } from "@/lib/limits";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { QuotaMeter } from "@/lib/quota/quota-meter";
import { createRateLimitStore } from "@/lib/rate-limit/create-store";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { createQueue } from "@/server/queue/create-queue";
import { createResultStore } from "@/server/storage/create-result-store";
import type { ResultStore } from "@/server/storage/result-store";
import { WorkerPool } from "@/server/workers/pool";
import { JobEvents } from "./job-events";
import { JobFiles } from "./job-files";
import { JobService } from "./job-service";

const DEFAULT_HANDLERS = fileURLToPath(new URL("../workers/job-handlers.ts", import.meta.url));

export interface JobsRuntime {
  db: DatabaseHandle;
  jobs: JobService;
  files: JobFiles;
  results: ResultStore;
  events: JobEvents;
  pool: WorkerPool;
  /** Daily quotas, counted on the rate-limit store the settings pick (shared when Redis is set). */
  quota: QuotaMeter;
  close(): Promise<void>;
}

export interface ComposeOptions {
  config: Config;
  logger: Logger;
  /** Tests run the real machinery with their own handler module. */
  handlerModule?: string;
  workers?: number;
}

export interface StoppableJobParts {
  jobs: JobService;
  pool: WorkerPool;
  queue: { close(): Promise<void> };
  quotaStore: { close(): Promise<void> };
  results: ResultStore;
  db: DatabaseHandle;
}

/** Stops in dependency order: no new jobs, then the workers, the queue, and last the stores. */
export async function stopJobParts({ jobs, pool, queue, quotaStore, results, db }: StoppableJobParts) {
  await jobs.stop();
  await pool.close();
  await queue.close();
  await quotaStore.close();
  await results.close();
  await db.close();
}

/** Workers for this machine: CONCURRENCY_PER_GPU per GPU, else CPU_WORKERS. */
export function workerCount(gpus: number): number {
  return gpus > 0 ? gpus * LIMITS.workers.CONCURRENCY_PER_GPU : LIMITS.workers.CPU_WORKERS;
}

export async function composeJobs({
  config,
  logger,
  handlerModule,
  workers,
}: ComposeOptions): Promise<JobsRuntime> {
  const db = await openDatabase(config.database, { migrate: true });
  const queue = await createQueue({ config, db, logger });
  const size = workers ?? Math.max(1, Math.min(workerCount(config.gpus), os.availableParallelism()));
  const pool = new WorkerPool({ handlerModule: handlerModule ?? DEFAULT_HANDLERS, size, logger });
  // Workers start and warm their models now, so the first person's job does not wait for that.
  void pool.warm();
  const files = new JobFiles(path.join(config.dataDir, "jobs"));
  const results = createResultStore(config.results);
  logger.info({ store: results.description }, "results are kept on this store");
  const events = new JobEvents();
  const jobs = new JobService({ db, queue, pool, files, results, events, logger });
  jobs.start({ concurrency: size });
  const quotaStore = await createRateLimitStore(config);
  return {
    quota: new QuotaMeter(new RateLimiter({ store: quotaStore })),
    db,
    jobs,
    files,
    results,
    events,
    pool,
    close: () => stopJobParts({ jobs, pool, queue, quotaStore, results, db }),
  };
}
