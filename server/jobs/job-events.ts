/**
 * In-process notices that a job changed, so Server-Sent Events go out the moment a worker
 * reports. Streams also poll the database, which covers jobs run by another backend machine.
 */
import { EventEmitter } from "node:events";

export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open event stream; many people may watch at once.
    this.emitter.setMaxListeners(0);
  }

  changed(jobId: string): void {
    this.emitter.emit(jobId);
  }

  subscribe(jobId: string, listener: () => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }
}
