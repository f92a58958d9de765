import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/schema";
import { corsDecision } from "./cors";

const ALLOWED = ["https://app.example.com", "http://localhost:5173"];
const decide = (method: string, headers: Record<string, string>, allowedOrigins = ALLOWED) =>
  corsDecision({ method, headers: new Headers({ host: "parla.example", ...headers }), allowedOrigins });

describe("corsDecision", () => {
  it("adds nothing for same-origin requests and clients that send no Origin", () => {
    expect(decide("POST", { origin: "https://parla.example" }).kind).toBe("same-origin");
    expect(decide("GET", {}).kind).toBe("same-origin");
    expect(decide("GET", {}).headers["Access-Control-Allow-Origin"]).toBeUndefined();
  });

  it("answers an allowed origin's preflight and lets its page read the rate-limit headers", () => {
    const preflight = decide("OPTIONS", {
      origin: "https://app.example.com",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    });
    expect(preflight).toMatchObject({
      kind: "allowed",
      preflight: true,
      headers: {
        "Access-Control-Allow-Origin": "https://app.example.com",
        "Access-Control-Allow-Methods": expect.stringContaining("POST"),
        "Access-Control-Allow-Headers": "authorization, content-type",
      },
    });
    expect(preflight.headers["Access-Control-Allow-Credentials"]).toBeUndefined();
    const request = decide("GET", { origin: "http://localhost:5173" });
    expect(request).toMatchObject({ kind: "allowed", preflight: false });
    expect(request.headers["Access-Control-Expose-Headers"]).toContain("RateLimit");
  });

  it("refuses every other origin, lookalikes and opaque ones included", () => {
    for (const origin of [
      "https://evil.example",
      "https://app.example.com.evil.example",
      "null",
      "http://app.example.com",
    ]) {
      expect(decide("OPTIONS", { origin, "access-control-request-method": "POST" }).kind).toBe("refused");
      expect(decide("GET", { origin }).kind).toBe("refused");
    }
    expect(decide("GET", { origin: "https://app.example.com" }, []).kind).toBe("refused");
  });
});

describe("CORS_ORIGINS", () => {
  it("defaults to none and reads a comma-separated list of origins", () => {
    expect(parseEnv({}).CORS_ORIGINS).toEqual([]);
    expect(
      parseEnv({ CORS_ORIGINS: " https://app.example.com/ , http://localhost:5173" }).CORS_ORIGINS,
    ).toEqual(ALLOWED);
  });

  it("names an entry that is not an origin", () => {
    expect(() => parseEnv({ CORS_ORIGINS: "https://app.example.com/path" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseEnv({ CORS_ORIGINS: "*" })).toThrow(/CORS_ORIGINS/);
  });
});
