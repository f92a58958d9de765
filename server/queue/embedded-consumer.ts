/**
 * One consumer of the embedded queue: claims jobs up to its concurrency, keeps each claim's
 * lease alive with a heartbeat while the handler runs, records the outcome, and sweeps expired
 * leases of consumers that died. It wakes on a timer (work added by other processes) and at once
 * when this process adds a job or frees a slot.
 */
import type { Logger } from "pino";
import type { Claim, EmbeddedStore, Finish } from "@/server/queue/embedded-store";
import { clampProgress, errorMessage, heartbeatMs, resultJson, retryDelayMs } from "@/server/queue/outcome";
import { type Consumer, type JobHandler, PermanentJobError } from "@/server/queue/types";

/** Runs in this process, by job id, so a cancel here reaches its handler without a poll. */
export interface LocalRuns {
  aborts: Map<string, { token: string; abort: () => void }>;
  wakers: Set<() => void>;
}

export interface EmbeddedConsumerSettings {
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
  retryBackoffMs: number;
  handler: JobHandler;
}

export class EmbeddedConsumer implements Consumer {
  private readonly running = new Map<string, Promise<void>>();
  private readonly heartbeats = new Set<NodeJS.Timeout>();
  private readonly timer: NodeJS.Timeout;
  private readonly wake = () => void this.tick();
  private stopped = false;
  private abandoned = false;
  private ticking = false;
  private again = false;
  private lastSweep = 0;

  constructor(
    private readonly store: EmbeddedStore,
    private readonly settings: EmbeddedConsumerSettings,
    private readonly local: LocalRuns,
    private readonly changed: (id: string) => void,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(this.wake, settings.pollIntervalMs);
    local.wakers.add(this.wake);
    void this.tick();
  }

  async stop(): Promise<void> {
    this.halt();
    // An abandoned consumer's handlers are orphans by design; waiting on them could hang forever.
    if (this.abandoned) return;
    await Promise.allSettled([...this.running.values()]);
  }

  async abandon(): Promise<void> {
    this.abandoned = true;
    this.halt();
    for (const heartbeat of this.heartbeats) clearTimeout(heartbeat);
    this.heartbeats.clear();
  }

  private halt(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.local.wakers.delete(this.wake);
  }

  /** Sweeps (four times per lease: a dead worker's job waits at most 1.25 leases) and fills free slots. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    try {
      do {
        this.again = false;
        if (Date.now() - this.lastSweep >= this.settings.leaseMs / 4) {
          this.lastSweep = Date.now();
          for (const id of await this.store.sweep()) this.changed(id);
        }
        const free = this.settings.concurrency - this.running.size;
        if (free <= 0 || this.stopped) break;
        const claims = await this.store.claim(free, this.settings.leaseMs);
        // Claimed while stopping: they run anyway, and stop() waits for them.
        for (const claim of claims) this.start(claim);
        if (claims.length === free) this.again = true;
      } while (this.again && !this.stopped);
    } catch (error) {
      // A busy or unreachable database: the next timer tick tries again.
      this.log.warn({ err: errorMessage(error) }, "queue poll failed");
    } finally {
      this.ticking = false;
    }
  }

  private start({ row, token }: Claim): void {
    const controller = new AbortController();
    let reason: "cancel" | "lost" | null = null;
    const abort = (why: "cancel" | "lost") => {
      if (reason) return;
      reason = why;
      controller.abort(new Error(why === "cancel" ? "job canceled" : "lease lost"));
    };
    this.local.aborts.set(row.id, { token, abort: () => abort("cancel") });
    this.changed(row.id);

    // Keyed by claim, not job: a job this consumer lost and then reclaimed runs under a new token.
    const key = `${token}:${row.id}`;
    let heartbeat: NodeJS.Timeout | undefined;
    const beat = () => {
      heartbeat = setTimeout(async () => {
        if (heartbeat) this.heartbeats.delete(heartbeat);
        try {
          const state = await this.store.heartbeat(row.id, token, this.settings.leaseMs);
          if (state === "lost") abort("lost");
          if (state === "cancel") abort("cancel");
        } catch (error) {
          this.log.warn({ jobId: row.id, err: errorMessage(error) }, "queue heartbeat failed");
        }
        if (!reason && !this.abandoned && this.running.has(key)) beat();
      }, heartbeatMs(this.settings.leaseMs));
      this.heartbeats.add(heartbeat);
    };
    beat();

    const run = async () => {
      let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
      try {
        const result = await this.settings.handler(
          { id: row.id, userId: row.userId, kind: row.kind, payload: row.payload },
          {
            attempt: row.attempts,
            signal: controller.signal,
            progress: async (fraction, stage) => {
              if (this.abandoned) return;
              if (await this.store.progress(row.id, token, clampProgress(fraction), stage))
                this.changed(row.id);
            },
          },
        );
        outcome = { ok: true, result };
      } catch (error) {
        outcome = { ok: false, error };
      }
      if (heartbeat) clearTimeout(heartbeat);
      if (this.abandoned) return;
      if (this.local.aborts.get(row.id)?.token === token) this.local.aborts.delete(row.id);
      // Lost: another consumer owns the job now (or it was removed); nothing here to record.
      if (reason === "lost") return;
      if (
        await this.store.finish(row.id, token, this.finishFor(outcome, reason, row.attempts, row.maxAttempts))
      )
        this.changed(row.id);
    };

    const done = run()
      .catch((error) =>
        this.log.error({ jobId: row.id, err: errorMessage(error) }, "queue job record failed"),
      )
      .finally(() => {
        this.running.delete(key);
        void this.tick();
      });
    this.running.set(key, done);
  }

  private finishFor(
    outcome: { ok: true; result: unknown } | { ok: false; error: unknown },
    reason: "cancel" | "lost" | null,
    attempt: number,
    maxAttempts: number,
  ): Finish {
    if (reason === "cancel") return { status: "canceled" };
    if (outcome.ok) {
      try {
        return { status: "succeeded", result: resultJson(outcome.result) };
      } catch {
        return { status: "failed", error: "the job's result is not JSON-serialisable" };
      }
    }
    const error = errorMessage(outcome.error);
    if (outcome.error instanceof PermanentJobError || attempt >= maxAttempts)
      return { status: "failed", error };
    return {
      status: "queued",
      error,
      availableAt: new Date(Date.now() + retryDelayMs(this.settings.retryBackoffMs, attempt)),
    };
  }
}
