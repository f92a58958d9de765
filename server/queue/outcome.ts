/** Rules both queues share for turning a handler's settlement into the job's next state. */
import { LIMITS } from "@/lib/limits";

/** Longest error text kept on a job (messages can be long stack-laden strings). */
const MAX_ERROR_CHARS = 1000;

/** Delay before try `attempt + 1`: the base, doubled per try after the first, capped at 64×. */
export function retryDelayMs(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 6);
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message || "failed").slice(0, MAX_ERROR_CHARS);
}

/** A handler's result as stored: JSON text, with undefined as null. */
export function resultJson(result: unknown): string {
  return JSON.stringify(result ?? null);
}

export function clampProgress(fraction: number): number {
  if (!Number.isFinite(fraction)) return 0;
  return Math.min(1, Math.max(0, fraction));
}

/** The heartbeat period for a lease: often enough that two missed beats do not lose it. */
export function heartbeatMs(leaseMs: number): number {
  return Math.max(10, Math.min(LIMITS.queue.HEARTBEAT_MS, Math.floor(leaseMs / 3)));
}
