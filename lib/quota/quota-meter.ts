/**
 * Cost-weighted daily quotas per tier: speech is charged by characters of input, transcription
 * by seconds of audio. A quota is a one-window rate-limit policy (a UTC day, epoch-aligned like
 * every window here) whose requests cost their units, so it runs on whichever store the limits
 * use and answers with the same headers. A job that does not fit spends nothing.
 */
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import type { HeaderMap } from "@/lib/rate-limit/headers";
import type { RateLimiter } from "@/lib/rate-limit/limiter";
import { definePolicy } from "@/lib/rate-limit/policies";
import type { RateLimitPolicy } from "@/lib/rate-limit/types";

export type QuotaKind = "speech" | "transcription";
export type QuotaTier = "free" | "pro";
export type QuotaTable = Record<QuotaKind, Record<QuotaTier, number>>;

export const QUOTA_UNITS: Record<QuotaKind, "characters" | "seconds"> = {
  speech: "characters",
  transcription: "seconds",
};

export const DAILY_QUOTAS: QuotaTable = {
  speech: { free: LIMITS.quotas.FREE_SPEECH_CHARS_PER_DAY, pro: LIMITS.quotas.PRO_SPEECH_CHARS_PER_DAY },
  transcription: {
    free: LIMITS.quotas.FREE_TRANSCRIPTION_SECONDS_PER_DAY,
    pro: LIMITS.quotas.PRO_TRANSCRIPTION_SECONDS_PER_DAY,
  },
};

/** A refused job: 429 until the day rolls over; the body names the quota (`error.quota`). */
export class QuotaExceededError extends ApiError {
  constructor(
    message: string,
    readonly quota: string,
    headers: HeaderMap,
  ) {
    super("rate_limited", "quota", message, undefined, headers);
    this.name = "QuotaExceededError";
  }

  override toBody() {
    const body = super.toBody();
    return { error: { ...body.error, quota: this.quota } };
  }
}

export interface ChargeInput {
  userId: string;
  tier: QuotaTier;
  kind: QuotaKind;
  /** Characters or seconds; fractions are rounded up. */
  units: number;
}

export class QuotaMeter {
  private readonly quotas: QuotaTable;
  private readonly windowSeconds: number;

  constructor(
    private readonly limiter: RateLimiter,
    options: { quotas?: QuotaTable; windowSeconds?: number } = {},
  ) {
    this.quotas = options.quotas ?? DAILY_QUOTAS;
    this.windowSeconds = options.windowSeconds ?? LIMITS.quotas.WINDOW_SECONDS;
  }

  /** Named after its unit, so the header reads e.g. "speech-characters-day";q=100000;w=86400. */
  policy(kind: QuotaKind, tier: QuotaTier): RateLimitPolicy {
    return definePolicy({
      name: `${kind}-${QUOTA_UNITS[kind]}`,
      windows: [{ limit: this.quotas[kind][tier], windowSeconds: this.windowSeconds }],
      identity: "principal",
      failMode: "closed",
    });
  }

  /** Spends `units` of today's quota, or throws (429 over quota, 503 when the store is down). */
  async charge({ userId, tier, kind, units }: ChargeInput): Promise<HeaderMap> {
    const policy = this.policy(kind, tier);
    const cost = Math.max(1, Math.ceil(units));
    // Keyed by the person, not the tier: moving to another tier keeps today's use.
    const decision = await this.limiter.check(policy, `user:${userId}`, { cost });
    if (decision.outcome === "limited") {
      const left = decision.windows.at(-1)?.remaining ?? 0;
      const limit = this.quotas[kind][tier];
      throw new QuotaExceededError(
        `Daily ${kind} quota reached: this job needs ${cost} ${QUOTA_UNITS[kind]}, ${left} of ${limit} are left today (${tier} tier); it resets in ${decision.retryAfterSeconds} s`,
        decision.window,
        decision.headers,
      );
    }
    if (decision.outcome === "unavailable") {
      throw new ApiError(
        "unavailable",
        "quota",
        "Usage cannot be metered right now; try again shortly",
        undefined,
        decision.headers,
      );
    }
    return decision.headers;
  }
}
