import { describe, expect, it } from "vitest";
import { formatCidr, formatIp, parseCidr, parseIp, rangeContains } from "./cidr";

const contains = (range: string, address: string) => {
  const parsedRange = parseCidr(range);
  const parsedAddress = parseIp(address);
  if (!parsedRange || !parsedAddress) throw new Error(`bad test input ${range} ${address}`);
  return rangeContains(parsedRange, parsedAddress);
};

describe("CIDR ranges", () => {
  it("matches IPv4 ranges at their edges", () => {
    expect(contains("127.0.0.0/8", "127.0.0.1")).toBe(true);
    expect(contains("127.0.0.0/8", "127.255.255.255")).toBe(true);
    expect(contains("127.0.0.0/8", "128.0.0.0")).toBe(false);
    expect(contains("203.0.113.7", "203.0.113.7")).toBe(true);
    expect(contains("203.0.113.7", "203.0.113.8")).toBe(false);
    expect(contains("0.0.0.0/0", "198.51.100.1")).toBe(true);
  });

  it("matches IPv6 ranges, and IPv4-mapped addresses as IPv4", () => {
    expect(contains("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(contains("2001:db8::/32", "2001:db9::1")).toBe(false);
    expect(contains("::1", "::1")).toBe(true);
    expect(contains("127.0.0.0/8", "::ffff:127.0.0.1")).toBe(true);
    expect(contains("2001:db8::/32", "127.0.0.1")).toBe(false);
    expect(contains("::/0", "127.0.0.1")).toBe(false);
  });

  it("stores a canonical spelling with host bits cleared", () => {
    const canonical = (raw: string) => {
      const range = parseCidr(raw);
      return range && formatCidr(range);
    };
    expect(canonical("10.1.2.3/8")).toBe("10.0.0.0/8");
    expect(canonical("192.0.2.1")).toBe("192.0.2.1/32");
    expect(canonical("2001:DB8:0:0:1::/64")).toBe("2001:db8::/64");
    expect(canonical("2001:db8:0:1:0:0:0:1")).toBe("2001:db8:0:1::1/128");
    expect(canonical("::ffff:10.0.0.1")).toBe("10.0.0.1/32");
    expect(canonical("[::1]")).toBe("::1/128");
    expect(formatIp({ version: 6, value: 0n })).toBe("::");
  });

  it("refuses what is not an address or a range", () => {
    for (const bad of [
      "",
      "10.0.0",
      "10.0.0.256",
      "010.0.0.1",
      "10.0.0.0/33",
      "10.0.0.0/-1",
      "10.0.0.0/8/8",
      "::1/129",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "example.com",
      "10.0.0.0/abc",
    ]) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });
});
