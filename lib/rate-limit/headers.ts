/**
 * Response headers for a rate-limit decision:
 * - `RateLimit-Policy` and `RateLimit` from draft-ietf-httpapi-ratelimit-headers (structured-field
 *   lists; one item per window, e.g. `"speech-minute";q=15;w=60` and `"speech-minute";r=3;t=42`);
 * - `X-RateLimit-Limit/Remaining/Reset` for older clients, describing the binding window (the one
 *   that refused, else the one with the fewest units left). Reset is delta-seconds, like `t` and
 *   Retry-After, so it means the same thing whatever the client's clock says;
 * - `Retry-After` on every refusal.
 * No partition key (`pk`) is sent: it would echo the client's identity back.
 */
import { windowName } from "./policies";
import type { RateLimitPolicy } from "./types";

/** One window's state after a check. */
export interface WindowReport {
  name: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
  allowed: boolean;
}

export type HeaderMap = Record<string, string>;

/** A structured-field sf-string (RFC 9651 §3.3.3). */
export function sfString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const whole = (value: number) => Math.max(0, Math.floor(value));

export function policyHeaderValue(policy: RateLimitPolicy): string {
  return policy.windows
    .map((window) => `${sfString(windowName(policy, window))};q=${window.limit};w=${window.windowSeconds}`)
    .join(", ");
}

export function bindingWindow(reports: readonly WindowReport[]): WindowReport | undefined {
  const refused = reports.find((report) => !report.allowed);
  if (refused) return refused;
  return reports.reduce<WindowReport | undefined>(
    (tightest, report) => (!tightest || report.remaining < tightest.remaining ? report : tightest),
    undefined,
  );
}

/** Headers for an answered check (allowed or refused). `reports` are the windows that were checked. */
export function rateLimitHeaders(policy: RateLimitPolicy, reports: readonly WindowReport[]): HeaderMap {
  const headers: HeaderMap = { "RateLimit-Policy": policyHeaderValue(policy) };
  if (reports.length > 0) {
    headers.RateLimit = reports
      .map((r) => `${sfString(r.name)};r=${whole(r.remaining)};t=${whole(r.resetSeconds)}`)
      .join(", ");
  }
  const binding = bindingWindow(reports);
  if (binding) {
    headers["X-RateLimit-Limit"] = String(binding.limit);
    headers["X-RateLimit-Remaining"] = String(whole(binding.remaining));
    headers["X-RateLimit-Reset"] = String(whole(binding.resetSeconds));
    if (!binding.allowed) headers["Retry-After"] = String(Math.max(1, whole(binding.resetSeconds)));
  }
  return headers;
}

/** Headers for a 503 from a fail-closed policy whose store did not answer. */
export function unavailableHeaders(policy: RateLimitPolicy, retryAfterSeconds: number): HeaderMap {
  return { "RateLimit-Policy": policyHeaderValue(policy), "Retry-After": String(retryAfterSeconds) };
}
