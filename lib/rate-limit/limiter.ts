/**
 * Applies a policy: every window, for one identity, against one store. Windows are checked
 * shortest first and the check stops at the first refusal, so a client hammering a
 * per-minute limit does not also burn its hourly quota. A store that throws or answers too
 * late is "unavailable": fail-closed policies refuse (503), fail-open ones let the request
 * through unmetered.
 */
import { LIMITS } from "@/lib/limits";
import { type HeaderMap, rateLimitHeaders, unavailableHeaders, type WindowReport } from "./headers";
import { windowName } from "./policies";
import { type RateLimitPolicy, type RateLimitStore, StoreUnavailableError } from "./types";

export type RateLimitDecision =
  | { outcome: "allowed"; status: 200; policy: string; headers: HeaderMap; windows: WindowReport[] }
  /** The store was down and the policy fails open: nothing was counted. */
  | { outcome: "unmetered"; status: 200; policy: string; headers: HeaderMap; windows: [] }
  | {
      outcome: "limited";
      status: 429;
      policy: string;
      /** The window that refused, e.g. "speech-minute". */
      window: string;
      retryAfterSeconds: number;
      headers: HeaderMap;
      windows: WindowReport[];
    }
  | { outcome: "unavailable"; status: 503; policy: string; retryAfterSeconds: number; headers: HeaderMap };

export interface RateLimiterOptions {
  store: RateLimitStore;
  timeoutMs?: number;
  /** Separates deployments (or test runs) that share a store. */
  namespace?: string;
}

export interface CheckOptions {
  /** Units this request spends in every window (default 1), e.g. minutes of audio. */
  cost?: number;
}

/** Counter keys carry a hash, not the identity: emails and addresses stay out of the store. */
export async function hashIdentity(identity: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(identity));
  return Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

function withTimeout<T>(work: Promise<T>, ms: number, store: RateLimitStore["kind"]): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(store, "timeout")), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class RateLimiter {
  readonly store: RateLimitStore;
  private readonly timeoutMs: number;
  private readonly namespace: string;

  constructor(options: RateLimiterOptions) {
    this.store = options.store;
    this.timeoutMs = options.timeoutMs ?? LIMITS.rateLimit.STORE_TIMEOUT_MS;
    this.namespace = options.namespace ?? "";
  }

  /** `identity` comes from identityKey(); `policy` from getPolicy() or definePolicy(). */
  async check(
    policy: RateLimitPolicy,
    identity: string,
    options: CheckOptions = {},
  ): Promise<RateLimitDecision> {
    const hashed = await hashIdentity(identity);
    const windows: WindowReport[] = [];
    try {
      for (const window of policy.windows) {
        const name = windowName(policy, window);
        const result = await withTimeout(
          this.store.consume(`${this.namespace}${policy.name}:${hashed}`, { ...window, cost: options.cost }),
          this.timeoutMs,
          this.store.kind,
        );
        windows.push({ name, windowSeconds: window.windowSeconds, ...result });
        if (!result.allowed) {
          return {
            outcome: "limited",
            status: 429,
            policy: policy.name,
            window: name,
            retryAfterSeconds: result.resetSeconds,
            headers: rateLimitHeaders(policy, windows),
            windows,
          };
        }
      }
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return this.storeDown(policy);
    }
    return {
      outcome: "allowed",
      status: 200,
      policy: policy.name,
      headers: rateLimitHeaders(policy, windows),
      windows,
    };
  }

  private storeDown(policy: RateLimitPolicy): RateLimitDecision {
    if (policy.failMode === "open") {
      return { outcome: "unmetered", status: 200, policy: policy.name, headers: {}, windows: [] };
    }
    const retryAfterSeconds = LIMITS.rateLimit.UNAVAILABLE_RETRY_AFTER_SECONDS;
    return {
      outcome: "unavailable",
      status: 503,
      policy: policy.name,
      retryAfterSeconds,
      headers: unavailableHeaders(policy, retryAfterSeconds),
    };
  }
}
