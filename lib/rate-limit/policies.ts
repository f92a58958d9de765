/** The policy table from lib/limits.ts, checked once and looked up by name. */
import { z } from "zod";
import { RATE_LIMITS, type RateLimitPolicyName } from "@/lib/limits";
import type { RateLimitPolicy, RateWindow } from "./types";

// Names end up inside structured-field strings and Redis keys: keep them to a safe alphabet.
const policyName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

const policySchema = z.object({
  name: policyName,
  windows: z
    .array(z.object({ limit: z.number().int().positive(), windowSeconds: z.number().int().positive() }))
    .min(1)
    .refine(
      (windows) => new Set(windows.map((w) => w.windowSeconds)).size === windows.length,
      "two windows of the same length",
    ),
  identity: z.enum(["principal", "ip", "account"]),
  failMode: z.enum(["closed", "open"]),
});

/** Validates a policy (table entries and any built by tests); windows come back shortest first. */
export function definePolicy(policy: RateLimitPolicy): RateLimitPolicy {
  const parsed = policySchema.parse(policy);
  return { ...parsed, windows: [...parsed.windows].sort((a, b) => a.windowSeconds - b.windowSeconds) };
}

let table: Map<string, RateLimitPolicy> | undefined;

export function getPolicy(name: RateLimitPolicyName): RateLimitPolicy {
  table ??= new Map(
    Object.entries(RATE_LIMITS).map(([key, spec]) => [key, definePolicy({ name: key, ...spec })]),
  );
  const policy = table.get(name);
  if (!policy) throw new Error(`unknown rate-limit policy ${name}`);
  return policy;
}

const WINDOW_WORDS: Record<number, string> = { 1: "second", 60: "minute", 3600: "hour", 86400: "day" };

/** The name a window goes by in headers: "speech-minute", "global-hour", "x-90s". */
export function windowName(policy: Pick<RateLimitPolicy, "name">, window: RateWindow): string {
  return `${policy.name}-${WINDOW_WORDS[window.windowSeconds] ?? `${window.windowSeconds}s`}`;
}
