import { describe, expect, it } from "vitest";
import { LIMITS, retentionDays, signInBackoffSeconds } from "@/lib/limits";

describe("sign-in backoff", () => {
  it("lets the first failures through without a wait", () => {
    for (let failures = 0; failures < LIMITS.auth.FAILURES_BEFORE_BACKOFF; failures++) {
      expect(signInBackoffSeconds(failures)).toBe(0);
    }
  });

  it("doubles after the threshold and stops at the cap", () => {
    const first = LIMITS.auth.FAILURES_BEFORE_BACKOFF;
    expect(signInBackoffSeconds(first)).toBe(LIMITS.auth.BACKOFF_BASE_SECONDS);
    expect(signInBackoffSeconds(first + 1)).toBe(LIMITS.auth.BACKOFF_BASE_SECONDS * 2);
    expect(signInBackoffSeconds(first + 1000)).toBe(LIMITS.auth.BACKOFF_MAX_SECONDS);
  });
});

describe("policy table", () => {
  it("holds only positive finite numbers", () => {
    const walk = (node: object): number[] =>
      Object.values(node).flatMap((value) => (typeof value === "object" ? walk(value) : [value as number]));
    const values = walk(LIMITS);
    expect(values.length).toBeGreaterThan(10);
    for (const value of values) {
      expect(Number.isFinite(value) && value > 0).toBe(true);
    }
  });
});

describe("retention per tier", () => {
  it("keeps a pro person's results longer than a free person's, each by its own constant", () => {
    expect(retentionDays("free")).toBe(LIMITS.jobs.RETENTION_DAYS_FREE);
    expect(retentionDays("pro")).toBe(LIMITS.jobs.RETENTION_DAYS_PRO);
    expect(retentionDays("pro")).toBeGreaterThan(retentionDays("free"));
  });
});
