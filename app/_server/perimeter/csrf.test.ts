import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./csrf";

const request = (method: string, headers: Record<string, string>, hasCookies = true) => ({
  method,
  headers: new Headers({ host: "parla.example", ...headers }),
  hasCookies,
});

describe("isCrossSiteWrite", () => {
  it("lets same-origin writes and every read through", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "https://parla.example" }))).toBe(false);
    expect(isCrossSiteWrite(request("DELETE", { "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(isCrossSiteWrite(request("GET", { origin: "https://evil.example" }))).toBe(false);
  });

  it("refuses a cookie-carrying write from another site, a sandboxed frame or a cross-site fetch", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(request("POST", { origin: "https://parla.example.evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(request("DELETE", { origin: "null" }))).toBe(true);
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossSiteWrite(request("PUT", { "sec-fetch-site": "same-site" }))).toBe(true);
  });

  it("leaves cookieless clients (API keys, scripts) alone", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "https://evil.example" }, false))).toBe(false);
    expect(isCrossSiteWrite(request("POST", {}))).toBe(false);
  });
});
