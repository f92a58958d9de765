/**
 * Job handlers that misbehave on purpose, for the pool's tests: they run in real worker
 * processes, so each failure mode (hang, crash, memory blow-up) is the real thing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkerEngine } from "@/lib/schemas/backend";
import { type JobHandlers, JobInputError } from "../protocol";

const held: Buffer[] = [];

/** What a real module reports after loading its models; here a stand-in, reported as such. */
export async function warmUp(): Promise<WorkerEngine[]> {
  return [{ kind: "speech", engine: `hostile-${process.pid}`, provider: "cpu" }];
}

export const handlers: JobHandlers = {
  async echo(payload, context) {
    for (const step of [0.25, 0.5, 0.75]) context.progress(step, "working");
    return { payload, pid: process.pid, attempt: context.attempt };
  },
  async sleep(payload) {
    const started = Date.now();
    await sleep(Number((payload as { ms: number }).ms));
    return { pid: process.pid, started, ended: Date.now() };
  },
  async untilCanceled(_payload, context) {
    // Waits the way a real job does between model calls: stops as soon as it is canceled.
    await sleep(60_000, undefined, { signal: context.signal });
    return { pid: process.pid };
  },
  async hang() {
    // Blocks the event loop: only a kill from outside can stop this.
    for (;;) {}
  },
  async crash() {
    process.exit(3);
  },
  async allocate(payload) {
    // Native memory (outside V8's heap), like a model's tensors: only the RSS watch sees it.
    const megabytes = Number((payload as { megabytes: number }).megabytes);
    for (let i = 0; i < megabytes; i++) held.push(Buffer.alloc(1024 * 1024, 1));
    await sleep(10_000);
    return { held: held.length };
  },
  async badInput() {
    throw new JobInputError("The recording has no audio stream");
  },
  async internalError() {
    throw new Error("ENOENT /var/secret/model.onnx");
  },
};
