import { describe, expect, it } from "vitest";
import { resolveClientAddress } from "./forwarded-for";

describe("resolveClientAddress", () => {
  it("uses the socket peer when no proxy is trusted, whatever the client wrote", () => {
    expect(resolveClientAddress(undefined, "203.0.113.7", 0)).toBe("203.0.113.7");
    for (const spoof of ["1.1.1.1", "1.1.1.1, 2.2.2.2", ["9.9.9.9", "8.8.8.8"]]) {
      expect(resolveClientAddress(spoof, "203.0.113.7", 0)).toBe("203.0.113.7");
    }
  });

  it("takes the address the outermost trusted proxy saw, ignoring what the client prepended", () => {
    // client → proxy A (appends client) → proxy B (appends A) → us (peer = B)
    expect(resolveClientAddress("198.51.100.9, 10.0.0.1", "10.0.0.2", 2)).toBe("198.51.100.9");
    expect(resolveClientAddress("6.6.6.6, 198.51.100.9, 10.0.0.1", "10.0.0.2", 2)).toBe("198.51.100.9");
    expect(resolveClientAddress("7.7.7.7, 198.51.100.9", "10.0.0.1", 1)).toBe("198.51.100.9");
  });

  it("falls back to the earliest entry when a request skipped a trusted proxy", () => {
    expect(resolveClientAddress(undefined, "10.0.0.2", 2)).toBe("10.0.0.2");
  });
});
