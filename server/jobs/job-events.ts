/**
 * In-process notices that a job changed, so Server-Sent Events go out the moment a worker
 * reports, and that the line of waiting jobs moved (one started or left), so every waiting
 * job's place in line is sent at once. Streams also poll the database, which covers jobs run
 * by another backend machine.
 */
import { EventEmitter } from "node:events";

// Job ids are UUIDs, so this name can never be one.
const LINE = "line-moved";

export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open event stream; many people may watch at once.
    this.emitter.setMaxListeners(0);
  }

  changed(jobId: string): void {
    this.emitter.emit(jobId);
  }

  /** A worker reported progress (a speech chunk may be ready); sent on every report, unthrottled. */
  progressed(jobId: string): void {
    this.emitter.emit(`${jobId}:progress`);
  }

  /** Both kinds of notice, for listeners that follow a job's output as it is made. */
  subscribeWithProgress(jobId: string, listener: () => void): () => void {
    const unsubscribe = this.subscribe(jobId, listener);
    this.emitter.on(`${jobId}:progress`, listener);
    return () => {
      unsubscribe();
      this.emitter.off(`${jobId}:progress`, listener);
    };
  }

  subscribe(jobId: string, listener: () => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  lineMoved(): void {
    this.emitter.emit(LINE);
  }

  subscribeLine(listener: () => void): () => void {
    this.emitter.on(LINE, listener);
    return () => this.emitter.off(LINE, listener);
  }
}
