/**
 * Subscribers to one job each. Both queues call refresh(id) when something may have changed
 * (in-process at once, or from a poll or an event stream); listeners hear only real changes,
 * in order, because reads for one job are chained and compared with the last one sent.
 */
import type { JobListener, JobSnapshot } from "@/server/queue/types";

function signature(job: JobSnapshot): string {
  return JSON.stringify([job.status, job.attempts, job.progress, job.stage, job.error]);
}

export class JobWatchers {
  private readonly listeners = new Map<string, Set<JobListener>>();
  private readonly lastSent = new Map<string, string>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly read: (id: string) => Promise<JobSnapshot | null>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Adds a listener and sends it the job's current state; returns the unsubscribe. */
  add(id: string, listener: JobListener): () => void {
    let set = this.listeners.get(id);
    if (!set) {
      set = new Set();
      this.listeners.set(id, set);
    }
    set.add(listener);
    // A new listener must see the current state even if others already did.
    this.lastSent.delete(id);
    void this.refresh(id);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(id) === set) {
        this.listeners.delete(id);
        this.lastSent.delete(id);
      }
    };
  }

  ids(): string[] {
    return [...this.listeners.keys()];
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Re-reads the job and tells its listeners if what they see changed. */
  refresh(id: string): Promise<void> {
    if (!this.listeners.has(id)) return Promise.resolve();
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(async () => {
      const job = await this.read(id);
      const listeners = this.listeners.get(id);
      if (!job || !listeners) return;
      const sig = signature(job);
      if (this.lastSent.get(id) === sig) return;
      this.lastSent.set(id, sig);
      for (const listener of listeners) listener(job);
    });
    const settled = next.catch(this.onError);
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return settled;
  }

  clear(): void {
    this.listeners.clear();
    this.lastSent.clear();
  }
}
