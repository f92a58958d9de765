/**
 * IPv4 and IPv6 addresses and CIDR ranges as numbers, for network blocks. Isomorphic (no
 * node:net) so the proxy, the handlers and the CLI parse a range the same way. A bare address
 * is a range of one (/32 or /128); IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4.
 */

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface CidrRange {
  version: 4 | 6;
  /** The first address of the range (host bits cleared). */
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".")) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    // Keep the colon before the IPv4 part when it ends a "::".
    head = text.slice(0, lastColon + 1);
    head = head.endsWith("::") ? head : head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const split = (half: string | undefined) => (half ? half.split(":") : []);
  const left = split(halves[0]);
  const right = split(halves[1]);
  const groupsNeeded = tailV4 === undefined ? 8 : 6;
  const missing = groupsNeeded - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value << 32n) | tailV4;
  return value;
}

const MAPPED_V4_PREFIX = 0xffffn << 32n;

/** An address from text (brackets and an IPv6 zone are allowed), or undefined when it is not one. */
export function parseIp(raw: string): IpAddress | undefined {
  let text = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\]$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  text = text.replace(/%[^%]*$/, "");
  if (!text.includes(":")) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : { version: 4, value: v4 };
  }
  const v6 = parseIpv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === MAPPED_V4_PREFIX >> 32n) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

function mask(version: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[version]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** "203.0.113.0/24", "2001:db8::/32" or a bare address; undefined when malformed. */
export function parseCidr(raw: string): CidrRange | undefined {
  const [addressText, prefixText, extra] = raw.trim().split("/");
  if (extra !== undefined || !addressText) return undefined;
  const address = parseIp(addressText);
  if (!address) return undefined;
  const max = BITS[address.version];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { version: address.version, network: address.value & mask(address.version, prefix), prefix };
}

export function rangeContains(range: CidrRange, address: IpAddress): boolean {
  return (
    range.version === address.version && (address.value & mask(range.version, range.prefix)) === range.network
  );
}

function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

export function formatIp({ version, value }: IpAddress): string {
  if (version === 6) return formatIpv6(value);
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** The canonical spelling stored and shown: network address, then the prefix ("10.0.0.0/8"). */
export function formatCidr(range: CidrRange): string {
  return `${formatIp({ version: range.version, value: range.network })}/${range.prefix}`;
}
