/**
 * A worker process: runs one job at a time for the backend, which forks it with a handler module
 * (argv[2]) whose `handlers` export maps job kinds to functions. Model work lives here, never in
 * the backend's HTTP process, so a crash, a hang or a memory blow-up costs only this process.
 */
import { pathToFileURL } from "node:url";
import { ApiError } from "../../lib/errors";
import type { WorkerEngine } from "../../lib/schemas/backend";
import { routeToolsThrough } from "../audio/run-tool";
import { startToolHost } from "../audio/tool-host";
import {
  backendMessageSchema,
  type JobHandlers,
  JobInputError,
  type WarmUp,
  type WorkerMessage,
} from "./protocol";

const GENERIC_FAILURE = "The job failed while processing";

function send(message: WorkerMessage) {
  process.send?.(message);
}

async function loadHandlers(modulePath: string): Promise<{ handlers: JobHandlers; warmUp?: WarmUp }> {
  const loaded = (await import(pathToFileURL(modulePath).href)) as {
    handlers?: JobHandlers;
    warmUp?: WarmUp;
  };
  if (!loaded.handlers) throw new Error(`${modulePath} exports no handlers`);
  return { handlers: loaded.handlers, ...(loaded.warmUp ? { warmUp: loaded.warmUp } : {}) };
}

/**
 * The models are loaded and warmed before the worker says it is ready, and each one's execution
 * provider goes to the backend with "ready" (which logs it, and /health shows it). A model that
 * cannot load does not stop the worker: its jobs fail with their own message, as without warm-up.
 */
async function warmUpModels(warmUp: WarmUp | undefined): Promise<WorkerEngine[]> {
  if (!warmUp) return [];
  try {
    return await warmUp();
  } catch (error) {
    console.error(`worker: warm-up failed (${error instanceof Error ? error.name : "unknown"})`);
    return [];
  }
}

const modulePath = process.argv[2];
if (!modulePath || !process.send) {
  console.error("worker-process must be forked with a handler module path");
  process.exit(2);
}
// Before any model is loaded, while this process is small: tools start from the host from now
// on (tool-host.ts says why). Without one, they start here, slower but the same.
try {
  routeToolsThrough((await startToolHost()).run);
} catch {
  console.error("worker: no tool host; tools start from the worker itself");
}
const { handlers, warmUp } = await loadHandlers(modulePath);
const engines = await warmUpModels(warmUp);

/** The running job's cancel switch (one job at a time, but kept by id so a late cancel misses nothing). */
const running = new Map<string, AbortController>();

process.on("message", async (raw) => {
  const parsed = backendMessageSchema.safeParse(raw);
  if (!parsed.success) return;
  if (parsed.data.type === "cancel") {
    running.get(parsed.data.jobId)?.abort();
    return;
  }
  const { jobId, kind, attempt, payload } = parsed.data;
  const handler = handlers[kind];
  if (!handler) {
    send({ type: "failed", jobId, message: `No worker handles jobs of kind "${kind}"`, permanent: true });
    return;
  }
  const cancel = new AbortController();
  running.set(jobId, cancel);
  try {
    const result = await handler(payload, {
      jobId,
      attempt,
      progress: (fraction, stage) =>
        send({ type: "progress", jobId, fraction: Math.min(1, Math.max(0, fraction)), stage }),
      signal: cancel.signal,
    });
    send(cancel.signal.aborted ? { type: "canceled", jobId } : { type: "done", jobId, result });
  } catch (error) {
    // Whatever a canceled job threw on its way out (an AbortError, a folder already removed) is the cancel.
    if (cancel.signal.aborted) {
      send({ type: "canceled", jobId });
      return;
    }
    // Only input errors carry their message out; anything else could hold internals. A 4xx
    // ApiError (an AudioInputError from the decoder) is the person's input too, with its code.
    if (error instanceof ApiError && error.status < 500) {
      send({ type: "failed", jobId, message: error.message, permanent: true, code: error.code });
      return;
    }
    const permanent = error instanceof JobInputError;
    send({ type: "failed", jobId, message: permanent ? error.message : GENERIC_FAILURE, permanent });
  } finally {
    running.delete(jobId);
  }
});

// The backend going away (its IPC channel closing) ends the worker too: no orphans.
process.on("disconnect", () => process.exit(0));
send({ type: "ready", engines });
