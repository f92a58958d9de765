import { describe, expect, it } from "vitest";
import { policyHeaderValue, rateLimitHeaders, sfString, unavailableHeaders } from "./headers";
import { definePolicy, getPolicy } from "./policies";

const speech = getPolicy("speech");

describe("rate-limit headers", () => {
  it("describes every window of the policy in RateLimit-Policy", () => {
    expect(policyHeaderValue(speech)).toBe('"speech-minute";q=15;w=60, "speech-hour";q=200;w=3600');
  });

  it("reports each checked window and the tightest one in X-RateLimit-*", () => {
    const headers = rateLimitHeaders(speech, [
      { name: "speech-minute", limit: 15, windowSeconds: 60, remaining: 3, resetSeconds: 42, allowed: true },
      {
        name: "speech-hour",
        limit: 200,
        windowSeconds: 3600,
        remaining: 150,
        resetSeconds: 1800,
        allowed: true,
      },
    ]);
    expect(headers).toEqual({
      "RateLimit-Policy": '"speech-minute";q=15;w=60, "speech-hour";q=200;w=3600',
      RateLimit: '"speech-minute";r=3;t=42, "speech-hour";r=150;t=1800',
      "X-RateLimit-Limit": "15",
      "X-RateLimit-Remaining": "3",
      "X-RateLimit-Reset": "42",
    });
  });

  it("names the refusing window and adds Retry-After", () => {
    const headers = rateLimitHeaders(speech, [
      { name: "speech-minute", limit: 15, windowSeconds: 60, remaining: 9, resetSeconds: 30, allowed: true },
      {
        name: "speech-hour",
        limit: 200,
        windowSeconds: 3600,
        remaining: 0,
        resetSeconds: 900,
        allowed: false,
      },
    ]);
    expect(headers["X-RateLimit-Limit"]).toBe("200");
    expect(headers["X-RateLimit-Remaining"]).toBe("0");
    expect(headers["Retry-After"]).toBe("900");
  });

  it("gives a fail-closed 503 a Retry-After and the policy", () => {
    expect(unavailableHeaders(speech, 5)).toEqual({
      "RateLimit-Policy": policyHeaderValue(speech),
      "Retry-After": "5",
    });
  });

  it("writes valid structured-field strings", () => {
    expect(sfString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});

describe("policy table", () => {
  it("holds the issue's defaults", () => {
    const limits = (name: Parameters<typeof getPolicy>[0]) =>
      getPolicy(name).windows.map((w) => [w.limit, w.windowSeconds]);
    expect(limits("transcription")).toEqual([
      [10, 60],
      [100, 3600],
    ]);
    expect(limits("translation")).toEqual([
      [20, 60],
      [300, 3600],
    ]);
    expect(limits("speech")).toEqual([
      [15, 60],
      [200, 3600],
    ]);
    expect(limits("global")).toEqual([
      [1000, 60],
      [10_000, 3600],
    ]);
    expect(limits("sign-in-account")).toEqual([[5, 60]]);
    expect(getPolicy("sign-in-ip").identity).toBe("ip");
    expect(getPolicy("transcription").failMode).toBe("closed");
  });

  it("refuses malformed policies", () => {
    const base = { identity: "ip", failMode: "open" } as const;
    expect(() =>
      definePolicy({ ...base, name: 'bad"name', windows: [{ limit: 1, windowSeconds: 1 }] }),
    ).toThrow();
    expect(() => definePolicy({ ...base, name: "empty", windows: [] })).toThrow();
    expect(() =>
      definePolicy({
        ...base,
        name: "twice",
        windows: [
          { limit: 1, windowSeconds: 60 },
          { limit: 2, windowSeconds: 60 },
        ],
      }),
    ).toThrow();
  });
});
