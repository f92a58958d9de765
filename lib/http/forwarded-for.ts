/**
 * The client address, settled once where the socket is visible (scripts/web-server.ts). Trusted
 * proxies each append the address they saw; the socket peer is the nearest hop. With
 * TRUST_PROXY_HOPS = n, the entry n places before the peer is the client, and anything earlier
 * is text the client wrote itself. The server then replaces X-Forwarded-For with that one
 * address, so nothing downstream can be fooled by a header the client chose.
 */
export function resolveClientAddress(
  forwardedFor: string | string[] | undefined,
  socketPeer: string | undefined,
  trustedHops: number,
): string {
  const written = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...written, socketPeer ?? "unknown"];
  // Fewer entries than trusted hops: the request skipped a proxy; the earliest entry is all there is.
  return chain[chain.length - 1 - trustedHops] ?? chain[0] ?? "unknown";
}
