/**
 * A TCP port free on loopback right now, for tests that start real servers, or that need a
 * port nothing listens on (a store or backend that is down).
 */
import net from "node:net";

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
