/** Epoch-aligned fixed windows, shared by every store so they agree on boundaries. */

export interface WindowPosition {
  /** Window number since the epoch; part of every counter's key. */
  bucket: number;
  resetAtMs: number;
  /** Whole seconds until the window starts over; at least 1 so Retry-After is never 0. */
  resetSeconds: number;
}

export function windowPosition(nowMs: number, windowSeconds: number): WindowPosition {
  const windowMs = windowSeconds * 1000;
  const bucket = Math.floor(nowMs / windowMs);
  const resetAtMs = (bucket + 1) * windowMs;
  return { bucket, resetAtMs, resetSeconds: Math.max(1, Math.ceil((resetAtMs - nowMs) / 1000)) };
}

/** A whole number of units ≥ 1: costs are charged as integers so every store counts alike. */
export function normalizeCost(cost: number | undefined): number {
  if (cost === undefined) return 1;
  if (!Number.isFinite(cost) || cost < 1) throw new RangeError("rate-limit cost must be ≥ 1");
  return Math.ceil(cost);
}
