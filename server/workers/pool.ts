/**
 * A pool of worker processes for model work. Each job runs in a child process with a hard
 * timeout and a memory limit; a worker that dies, hangs or grows too large is killed and
 * replaced, and only its own job learns about it. The backend's HTTP process never runs a model.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { LIMITS } from "@/lib/limits";
import type { WorkerEngine } from "@/lib/schemas/backend";
import { residentMegabytes } from "./process-memory";
import { type WorkerMessage, workerMessageSchema } from "./protocol";
import { WorkerFailure } from "./worker-failure";

const WORKER_ENTRY = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

export interface WorkerPoolOptions {
  /** Absolute path of a module exporting `handlers` (kind → function), loaded by each worker. */
  handlerModule: string;
  /** Workers running at once: the concurrency per GPU times the GPUs (or 1 on CPU). */
  size: number;
  jobTimeoutMs?: number;
  /** How long a canceled job may take to stop by itself before its worker is killed. */
  cancelGraceMs?: number;
  memoryLimitMb?: number;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface PoolJob {
  id: string;
  kind: string;
  attempt: number;
  payload: unknown;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker | WorkerFailure) => void)[] = [];
  private live = 0;
  private closed = false;
  private spawnFailures = 0;
  /** Workers replaced after dying, timing out or outgrowing the limit (for health and tests). */
  replaced = 0;
  /** What the last worker to start reported warming, with the providers it really uses. */
  private warmed: WorkerEngine[] = [];

  constructor(private readonly options: WorkerPoolOptions) {
    if (options.size < 1) throw new Error("A worker pool needs at least one worker");
  }

  get busy(): number {
    return this.live - this.idle.length;
  }

  get queued(): number {
    return this.waiting.length;
  }

  get engines(): readonly WorkerEngine[] {
    return this.warmed;
  }

  /**
   * Starts every worker now, so models warm up before the first job instead of during it. Each
   * worker joins the pool when it is ready; one that fails to start is replaced (with backoff).
   */
  async warm(): Promise<void> {
    const started: Worker[] = [];
    while (this.live < this.options.size) started.push(this.spawn());
    await Promise.all(
      started.map((worker) =>
        worker.ready.then(
          () => (this.closed ? stopWorker(worker.child) : this.release(worker)),
          () => this.retire(worker),
        ),
      ),
    );
  }

  async run(job: PoolJob, { signal, onProgress }: RunOptions = {}): Promise<unknown> {
    if (signal?.aborted) throw new WorkerFailure("canceled", "The job was canceled");
    const worker = await this.acquire();
    try {
      await worker.ready;
    } catch (error) {
      this.retire(worker);
      throw error;
    }
    return this.dispatch(worker, job, signal, onProgress);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const resolve of this.waiting.splice(0)) {
      resolve(new WorkerFailure("canceled", "The worker pool is shutting down", false));
    }
    const exits = this.idle.splice(0).map((worker) => stopWorker(worker.child));
    await Promise.all(exits);
  }

  private acquire(): Promise<Worker> {
    if (this.closed) return Promise.reject(new WorkerFailure("canceled", "The worker pool is closed", false));
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    if (this.live < this.options.size) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) =>
      this.waiting.push((next) => (next instanceof WorkerFailure ? reject(next) : resolve(next))),
    );
  }

  private release(worker: Worker) {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  /** A worker that is gone is replaced at once, so the pool stays warm for the next job. */
  private retire(worker: Worker) {
    stopWorker(worker.child);
    this.live -= 1;
    this.replaced += 1;
    if (this.closed) return;
    // Back off when workers die on start (a broken model), so a crash loop cannot spin the CPU.
    const delay =
      this.spawnFailures === 0
        ? 0
        : Math.min(
            LIMITS.workers.RESPAWN_MAX_DELAY_MS,
            LIMITS.workers.RESPAWN_BASE_DELAY_MS * 2 ** (this.spawnFailures - 1),
          );
    setTimeout(() => {
      if (this.closed || this.live >= this.options.size) return;
      const fresh = this.spawn();
      fresh.ready.then(
        () => (this.closed ? stopWorker(fresh.child) : this.release(fresh)),
        () => this.retire(fresh),
      );
    }, delay).unref();
  }

  private spawn(): Worker {
    this.live += 1;
    const memoryLimitMb = this.options.memoryLimitMb ?? LIMITS.workers.MEMORY_LIMIT_MB;
    const child = fork(WORKER_ENTRY, [this.options.handlerModule], {
      // V8's heap cap catches JS growth early; the RSS watch below also covers native (ONNX) memory.
      execArgv: ["--import", "tsx", `--max-old-space-size=${memoryLimitMb}`],
      // Undefined inherits the backend's environment.
      env: this.options.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (raw: unknown) => {
        const message = workerMessageSchema.safeParse(raw).data;
        if (message?.type !== "ready") return;
        child.off("exit", onExit);
        child.off("message", onMessage);
        this.spawnFailures = 0;
        if (message.engines) {
          this.warmed = message.engines;
          this.options.logger?.info({ engines: message.engines }, "worker ready");
        }
        resolve();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        child.off("message", onMessage);
        this.spawnFailures += 1;
        this.options.logger?.error({ code, signal }, "worker exited before it was ready");
        reject(new WorkerFailure("crashed", "The worker could not start"));
      };
      child.once("exit", onExit);
      child.on("message", onMessage);
    });
    // Nobody may await `ready` if the pool closes first; the rejection is handled where it is.
    ready.catch(() => undefined);
    return { child, ready };
  }

  private dispatch(
    worker: Worker,
    job: PoolJob,
    signal: AbortSignal | undefined,
    onProgress: RunOptions["onProgress"],
  ): Promise<unknown> {
    const { child } = worker;
    const timeoutMs = this.options.jobTimeoutMs ?? LIMITS.workers.JOB_TIMEOUT_MS;
    const memoryLimitMb = this.options.memoryLimitMb ?? LIMITS.workers.MEMORY_LIMIT_MB;

    return new Promise((resolve, reject) => {
      let settled = false;
      let graceTimer: NodeJS.Timeout | undefined;
      const finish = (outcome: { result: unknown } | { failure: WorkerFailure }, keepWorker: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(graceTimer);
        clearInterval(memoryWatch);
        signal?.removeEventListener("abort", onAbort);
        child.off("message", onMessage);
        child.off("exit", onExit);
        if (keepWorker) this.release(worker);
        else this.retire(worker);
        if ("failure" in outcome) reject(outcome.failure);
        else resolve(outcome.result);
      };
      const kill = (failure: WorkerFailure) => finish({ failure }, false);

      const onMessage = (raw: unknown) => {
        const parsed = workerMessageSchema.safeParse(raw);
        if (!parsed.success) return kill(new WorkerFailure("crashed", "The worker sent a malformed message"));
        const message: WorkerMessage = parsed.data;
        if (message.type === "ready" || message.jobId !== job.id) return;
        // Asked to stop: whatever the job says next means it has, and the worker is free again.
        if (signal?.aborted && message.type !== "progress") return finish({ failure: canceled() }, true);
        if (message.type === "progress") onProgress?.(message.fraction, message.stage);
        else if (message.type === "canceled")
          kill(new WorkerFailure("crashed", "The worker canceled unasked"));
        else if (message.type === "done") finish({ result: message.result }, true);
        else
          finish(
            {
              failure: new WorkerFailure(
                "failed",
                message.message,
                message.permanent || undefined,
                message.code,
              ),
            },
            true,
          );
      };
      const onExit = (code: number | null, exitSignal: NodeJS.Signals | null) => {
        this.options.logger?.warn({ jobId: job.id, code, signal: exitSignal }, "worker died during a job");
        kill(new WorkerFailure("crashed", "The worker stopped unexpectedly"));
      };
      const canceled = () => new WorkerFailure("canceled", "The job was canceled");
      // The job is asked to stop first: one that does keeps this worker and its warm models (a
      // respawn reloads every model, seconds on a CPU, tens of seconds for a large Whisper).
      // One stuck in a long model call is killed once the grace is over, as before.
      const onAbort = () => {
        child.send({ type: "cancel", jobId: job.id }, (error) => {
          if (error) kill(canceled());
        });
        graceTimer = setTimeout(
          () => kill(canceled()),
          this.options.cancelGraceMs ?? LIMITS.workers.CANCEL_GRACE_MS,
        );
      };

      const timer = setTimeout(
        () => kill(new WorkerFailure("timeout", `The job ran longer than ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
      const memoryWatch = setInterval(async () => {
        const megabytes = child.pid ? await residentMegabytes(child.pid) : undefined;
        if (megabytes !== undefined && megabytes > memoryLimitMb) {
          this.options.logger?.warn({ jobId: job.id, megabytes }, "worker over its memory limit");
          kill(new WorkerFailure("memory", `The job needed more than ${memoryLimitMb} MB of memory`));
        }
      }, LIMITS.workers.MEMORY_POLL_MS);

      child.on("message", onMessage);
      child.once("exit", onExit);
      signal?.addEventListener("abort", onAbort, { once: true });
      child.send({ type: "run", jobId: job.id, kind: job.kind, attempt: job.attempt, payload: job.payload });
      // Canceled while it waited for a worker: the run is sent and stopped at once.
      if (signal?.aborted) onAbort();
    });
  }
}

/** SIGKILL: a worker being stopped may be stuck in native code that ignores gentler signals. */
function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
