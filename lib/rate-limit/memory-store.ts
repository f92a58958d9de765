/**
 * In-process counters for the embedded default (one process, no Redis). Bounded: expired
 * windows are swept when the map fills, and a map full of live windows reports the store as
 * down (the policy's failMode decides) rather than evicting someone's live counter, which
 * would hand them a fresh quota.
 */
import { LIMITS } from "@/lib/limits";
import { type ConsumeOptions, type ConsumeResult, type RateLimitStore, StoreUnavailableError } from "./types";
import { normalizeCost, windowPosition } from "./window";

interface Counter {
  used: number;
  resetAtMs: number;
}

export interface MemoryStoreOptions {
  maxKeys?: number;
  /** Injected clock for tests. */
  now?: () => number;
}

export class MemoryStore implements RateLimitStore {
  readonly kind = "memory";
  private readonly counters = new Map<string, Counter>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** No sweep before this: a sweep that freed nothing is not repeated until something expires. */
  private nextSweepAtMs = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxKeys = options.maxKeys ?? LIMITS.rateLimit.MEMORY_STORE_MAX_KEYS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.counters.size;
  }

  async consume(key: string, options: ConsumeOptions): Promise<ConsumeResult> {
    const cost = normalizeCost(options.cost);
    const now = this.now();
    const position = windowPosition(now, options.windowSeconds);
    const id = `${options.windowSeconds}:${key}`;
    let counter = this.counters.get(id);
    if (!counter || counter.resetAtMs <= now || counter.resetAtMs !== position.resetAtMs) {
      if (!counter) this.makeRoom(now);
      counter = { used: 0, resetAtMs: position.resetAtMs };
      this.counters.set(id, counter);
    }
    const allowed = counter.used + cost <= options.limit;
    if (allowed) counter.used += cost;
    return {
      allowed,
      limit: options.limit,
      remaining: Math.max(0, options.limit - counter.used),
      resetSeconds: position.resetSeconds,
    };
  }

  async close(): Promise<void> {
    this.counters.clear();
  }

  private makeRoom(now: number): void {
    if (this.counters.size < this.maxKeys) return;
    if (now >= this.nextSweepAtMs) this.sweep(now);
    if (this.counters.size >= this.maxKeys) throw new StoreUnavailableError("memory", "full");
  }

  private sweep(now: number): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const [id, counter] of this.counters) {
      if (counter.resetAtMs <= now) this.counters.delete(id);
      else earliest = Math.min(earliest, counter.resetAtMs);
    }
    this.nextSweepAtMs = earliest;
  }
}
