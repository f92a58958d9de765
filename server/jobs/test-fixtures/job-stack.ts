/**
 * The backend's job machinery for the tests and benches that run it in this process, wired as
 * compose.ts wires it for the server: the settings' database (migrated), the embedded queue
 * (polling fast), one real worker process that reads the same settings, job folders under
 * DATA_DIR, the settings' result store, and the backend app over them with a silent log. What
 * differs between callers is an option: the settings, the handler module, the day's quotas.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { Config } from "@/lib/config/schema";
import { loadConfig } from "@/lib/node/config";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { QuotaMeter, type QuotaTable } from "@/lib/quota/quota-meter";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";
import { createTestApp } from "@/server/app";
import { stopJobParts } from "@/server/jobs/compose";
import { JobEvents } from "@/server/jobs/job-events";
import { JobFiles } from "@/server/jobs/job-files";
import { JobService } from "@/server/jobs/job-service";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { createResultStore } from "@/server/storage/create-result-store";
import type { ResultStore } from "@/server/storage/result-store";
import { WorkerPool } from "@/server/workers/pool";

/** Steady fake work with no models (paced-handlers.ts): for the job service and its routes. */
export const PACED_HANDLERS = fileURLToPath(new URL("./paced-handlers.ts", import.meta.url));
/** The product's handlers, with the real engines. */
export const PRODUCT_HANDLERS = fileURLToPath(new URL("../../workers/job-handlers.ts", import.meta.url));

export interface JobStackOptions {
  /**
   * Settings as environment variables, read here as the backend reads them (DATA_DIR, the
   * database, the results, the link's secret) and handed to the worker on top of this process's.
   */
  settings: Record<string, string>;
  handlerModule: string;
  /** The day's quotas, counted in this process's memory; unset, the production table. */
  quotas?: QuotaTable;
  /** The job folders' keeper over DATA_DIR/jobs: a subclass that watches them, say. */
  files?: (jobsDir: string) => JobFiles;
}

export interface SignedRequestInit {
  /** Sent as JSON, or as it is when bytes (with `contentType`, else application/octet-stream). */
  body?: unknown;
  contentType?: string;
  /** Extra request headers (a Range, say), laid over the signature's. */
  headers?: Record<string, string>;
  /** Another app over the same stack (other settings, say) to send it to; default the stack's. */
  app?: ReturnType<typeof createTestApp>;
  signal?: AbortSignal;
}

export interface JobStack<Files extends JobFiles = JobFiles> {
  config: Config;
  db: DatabaseHandle;
  queue: EmbeddedQueue;
  pool: WorkerPool;
  files: Files;
  results: ResultStore;
  events: JobEvents;
  jobs: JobService;
  quota: QuotaMeter;
  app: ReturnType<typeof createTestApp>;
  /** A request to the app, signed as the web app signs it. */
  call(method: string, pathWithQuery: string, init?: SignedRequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** What a signed request carries: nothing, bytes as they are, or JSON. */
function encodeBody(body: unknown): string | Uint8Array<ArrayBuffer> {
  if (body === undefined) return "";
  return body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);
}

export async function startJobStack<Files extends JobFiles = JobFiles>({
  settings,
  handlerModule,
  quotas,
  files: makeFiles,
}: JobStackOptions & { files?: (jobsDir: string) => Files }): Promise<JobStack<Files>> {
  const config = loadConfig(settings);
  const db = await openDatabase(config.database, { migrate: true });
  const queue = new EmbeddedQueue(db, { pollIntervalMs: 25 });
  const pool = new WorkerPool({ handlerModule, size: 1, env: { ...process.env, ...settings } });
  const jobsDir = path.join(config.dataDir, "jobs");
  const files = (makeFiles?.(jobsDir) ?? new JobFiles(jobsDir)) as Files;
  const results = createResultStore(config.results);
  const events = new JobEvents();
  const jobs = new JobService({ db, queue, pool, files, results, events, logger: pino({ level: "silent" }) });
  jobs.start({ concurrency: 1 });
  const quotaStore = new MemoryStore();
  const quota = new QuotaMeter(new RateLimiter({ store: quotaStore }), quotas ? { quotas } : {});
  const app = createTestApp({ config, jobs: { jobs, db, files, results, events, pool, quota } });

  async function call(method: string, pathWithQuery: string, init: SignedRequestInit = {}) {
    const bytes = init.body instanceof Uint8Array;
    const body = encodeBody(init.body);
    const signature = await signRequest({
      secret: config.secrets.backend,
      method,
      pathWithQuery,
      body,
      timestampSeconds: nowInSeconds(),
      nonce: createNonce(),
    });
    return (init.app ?? app).request(pathWithQuery, {
      method,
      ...(init.body === undefined ? {} : { body }),
      headers: {
        ...signature,
        "content-type": init.contentType ?? (bytes ? "application/octet-stream" : "application/json"),
        ...init.headers,
      },
      ...(init.signal ? { signal: init.signal } : {}),
    });
  }

  return {
    config,
    db,
    queue,
    pool,
    files,
    results,
    events,
    jobs,
    quota,
    app,
    call,
    close: () => stopJobParts({ jobs, pool, queue, quotaStore, results, db }),
  };
}
