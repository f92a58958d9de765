/**
 * The process's abuse monitor on the rate-limit store, and the one call both layers make after
 * answering: proxy.ts for its own 429s (per address), apiRoute for every route's 429s and
 * validation refusals (per account or API key when the caller was resolved, else per address).
 */
import { placeAutomaticBlock } from "@/app/_server/blocks/auto-block";
import { getDatabase } from "@/app/_server/db/client";
import { rateLimiter } from "@/app/_server/perimeter/rate-limit";
import { getConfig } from "@/lib/node/config";
import { AbuseMonitor, strikeFor } from "@/lib/rate-limit/abuse-monitor";
import { identityKey } from "@/lib/rate-limit/identity";

const SHARED_KEY = Symbol.for("parla.abuse-monitor");

async function abuseMonitor(): Promise<AbuseMonitor> {
  const holder = globalThis as typeof globalThis & { [SHARED_KEY]?: AbuseMonitor };
  holder[SHARED_KEY] ??= new AbuseMonitor({
    store: (await rateLimiter()).store,
    onAbuse: async (identity, strike, blockSeconds) =>
      placeAutomaticBlock(await getDatabase(), { identity, strike, blockSeconds }),
  });
  return holder[SHARED_KEY];
}

export interface StrikeSubject {
  userId?: string | null;
  apiKeyId?: string | null;
}

/**
 * Counts the response as a strike when it is one. Never throws: a store outage must not turn a
 * 4xx into a 500, so failures are handed to `onError` (the caller logs them).
 */
export async function recordStrike(
  request: Request,
  status: number,
  subject: StrikeSubject,
  onError: (error: unknown) => void,
): Promise<void> {
  const strike = strikeFor(status);
  if (!strike) return;
  try {
    // A key is judged by itself (the account may have other, well-behaved keys).
    const identity = identityKey("principal", {
      userId: subject.apiKeyId ? null : subject.userId,
      apiKeyId: subject.apiKeyId,
      forwardedFor: request.headers.get("x-forwarded-for"),
      trustedHops: getConfig().trustProxyHops,
    });
    await (await abuseMonitor()).record(identity, strike);
  } catch (error) {
    onError(error);
  }
}
