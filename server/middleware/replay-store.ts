/**
 * Remembers the nonces of accepted signed requests until their signatures would expire anyway,
 * so a captured request cannot be sent twice. The interface fits a Redis `SET key 1 NX PX ttl`
 * store for when the backend runs as several processes.
 */

export type ReplayClaim = "claimed" | "replayed" | "full";

export interface ReplayStore {
  /** Records `key` for `ttlMs`; "replayed" if it is already recorded, "full" if it cannot be recorded. */
  claim(key: string, ttlMs: number): Promise<ReplayClaim>;
}

export interface MemoryReplayStoreOptions {
  maxEntries: number;
  now?: () => number;
}

// Sweeping scans every entry, so it runs at most this often rather than on every claim.
const SWEEP_INTERVAL_MS = 1_000;

/** One process's store. When full of live nonces it refuses new ones rather than forget any. */
export function createMemoryReplayStore({
  maxEntries,
  now = Date.now,
}: MemoryReplayStoreOptions): ReplayStore {
  const expiries = new Map<string, number>();
  let nextSweepAtMs = 0;

  function sweep(nowMs: number) {
    for (const [key, expiresAtMs] of expiries) {
      if (expiresAtMs <= nowMs) expiries.delete(key);
    }
    nextSweepAtMs = nowMs + SWEEP_INTERVAL_MS;
  }

  return {
    async claim(key, ttlMs) {
      const nowMs = now();
      const seenUntilMs = expiries.get(key);
      if (seenUntilMs !== undefined && seenUntilMs > nowMs) return "replayed";
      expiries.delete(key);
      if (nowMs >= nextSweepAtMs) sweep(nowMs);
      if (expiries.size >= maxEntries) return "full";
      expiries.set(key, nowMs + ttlMs);
      return "claimed";
    },
  };
}
