/**
 * Who a request counts against. A signed-in user counts as themselves wherever they connect
 * from; else an API key; else the client address. IPv6 clients are counted per /64: one
 * subscriber usually holds a whole /64 and could otherwise take a fresh address per request.
 *
 * The address comes from X-Forwarded-For, which the web server (scripts/web-server.ts) has
 * already replaced with the one address the trusted proxies vouch for, from the socket (see
 * lib/http/forwarded-for.ts): whatever a client writes into the header is gone by then, so
 * rotating it lands in the same bucket. The reading below also works on an unrewritten header
 * (the entry the outermost trusted proxy wrote), for callers that run behind `next dev`.
 */
import type { IdentityKind } from "./types";

export interface IdentitySource {
  /** Verified by the caller (auth()); never a value read from an unverified cookie. */
  userId?: string | null;
  apiKeyId?: string | null;
  /** The account a sign-in is aimed at (an email), for "account" policies. */
  account?: string | null;
  forwardedFor: string | null | undefined;
  trustedHops: number;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Strips what proxies decorate addresses with: brackets, ports, IPv6 zones, IPv4 mapping. */
export function bareAddress(raw: string): string {
  let address = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (v4WithPort?.[1]) address = v4WithPort[1];
  address = address.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  return mapped?.[1] ?? address;
}

/** The first four groups of an IPv6 address, or undefined when it is not one. */
function ipv6Prefix64(address: string): string | undefined {
  if (!address.includes(":") || !/^[0-9a-f:]+$/.test(address)) return undefined;
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (groups.some((group) => group.length === 0 || group.length > 4)) return undefined;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** The X-Forwarded-For entry the outermost trusted proxy wrote (see the header comment). */
export function trustedForwardedEntry(forwardedFor: string | null | undefined, trustedHops: number): string {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  // Fewer entries than trusted proxies means the request skipped them; the first entry is
  // the best there is (and as trustworthy as any header a direct client sends).
  return hops[hops.length - Math.max(1, trustedHops)] ?? hops[0] ?? "unknown";
}

/** The client address the trusted proxies vouch for, normalised for counting. */
export function clientAddress(forwardedFor: string | null | undefined, trustedHops: number): string {
  const address = bareAddress(trustedForwardedEntry(forwardedFor, trustedHops));
  if (IPV4.test(address)) return address;
  return ipv6Prefix64(address) ?? address;
}

/** The one client address (not reduced to a /64), for matching network blocks. */
export function clientIpAddress(forwardedFor: string | null | undefined, trustedHops: number): string {
  return bareAddress(trustedForwardedEntry(forwardedFor, trustedHops));
}

/** The counter identity for a policy's identity kind, e.g. "user:42" or "ip:203.0.113.7". */
export function identityKey(kind: IdentityKind, source: IdentitySource): string {
  if (kind === "account") {
    const account = source.account?.trim().toLowerCase();
    if (!account) throw new Error("an account policy needs the account being signed into");
    return `account:${account}`;
  }
  if (kind === "principal") {
    if (source.userId) return `user:${source.userId}`;
    if (source.apiKeyId) return `key:${source.apiKeyId}`;
  }
  return `ip:${clientAddress(source.forwardedFor, source.trustedHops)}`;
}
