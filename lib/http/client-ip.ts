/**
 * The client's address from X-Forwarded-For, trusting only the last `trustedHops` proxies.
 * Next's own server appends the socket peer, so with 0 trusted hops the last entry is the
 * peer itself and a client cannot choose its identity by sending its own header.
 */
export function clientIpFrom(forwardedFor: string | null | undefined, trustedHops: number): string {
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return hops[hops.length - 1 - trustedHops] ?? hops[0] ?? "unknown";
}
