import { describe, expect, it } from "vitest";
import { clientAddress, identityKey } from "./identity";

describe("client address", () => {
  // What Next receives: [what the client wrote…, one entry per trusted proxy]. Next itself
  // appends nothing (it only fills the header in when absent).
  it("takes the address the trusted proxy saw, whatever the client wrote before it", () => {
    const honest = clientAddress("198.51.100.7", 1);
    const spoofed = clientAddress("203.0.113.99, 198.51.100.7", 1);
    const rotated = clientAddress("1.1.1.1, 8.8.8.8, 198.51.100.7", 1);
    expect(honest).toBe("198.51.100.7");
    expect(spoofed).toBe(honest);
    expect(rotated).toBe(honest);
  });

  it("honours two trusted hops (a CDN, then a load balancer)", () => {
    // The CDN appended the client (198.51.100.7); the load balancer appended the CDN (10.0.0.1).
    expect(clientAddress("evil, 198.51.100.7, 10.0.0.1", 2)).toBe("198.51.100.7");
    expect(clientAddress("other, evil, 198.51.100.7, 10.0.0.1", 2)).toBe("198.51.100.7");
  });

  it("with no trusted proxy, uses the last entry (the socket peer Next filled in)", () => {
    expect(clientAddress("192.0.2.10", 0)).toBe("192.0.2.10");
    expect(clientAddress(null, 0)).toBe("unknown");
  });

  it("strips ports, brackets, zones and IPv4 mapping", () => {
    expect(clientAddress("198.51.100.7:5123", 0)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:198.51.100.7", 0)).toBe("198.51.100.7");
    expect(clientAddress("[2001:db8:1:2::5]:443", 0)).toBe("2001:db8:1:2::/64");
  });

  it("counts IPv6 clients per /64, so rotating the interface id does not help", () => {
    const a = clientAddress("2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd", 0);
    const b = clientAddress("2001:db8:1:2::1", 0);
    expect(a).toBe("2001:db8:1:2::/64");
    expect(b).toBe(a);
    expect(clientAddress("2001:db8:1:3::1", 0)).not.toBe(a);
    expect(clientAddress("::1", 0)).toBe("0:0:0:0::/64");
  });
});

describe("identity key", () => {
  const source = { forwardedFor: "192.0.2.10", trustedHops: 0 };

  it("prefers the user, then the API key, then the address", () => {
    expect(identityKey("principal", { ...source, userId: "u1", apiKeyId: "k1" })).toBe("user:u1");
    expect(identityKey("principal", { ...source, apiKeyId: "k1" })).toBe("key:k1");
    expect(identityKey("principal", source)).toBe("ip:192.0.2.10");
  });

  it("counts ip policies by address even for signed-in users", () => {
    expect(identityKey("ip", { ...source, userId: "u1" })).toBe("ip:192.0.2.10");
  });

  it("normalises the account and insists on one", () => {
    expect(identityKey("account", { ...source, account: "  Ada@Example.COM " })).toBe(
      "account:ada@example.com",
    );
    expect(() => identityKey("account", source)).toThrow();
  });
});
