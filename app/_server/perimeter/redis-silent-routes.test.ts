/**
 * REDIS_URL names a server that accepts connections and never answers (a hung Redis, or a
 * firewall that drops replies): only the limiter's own store timeout can end each check.
 */
import { createServer, type Socket } from "node:net";
import { afterAll } from "vitest";
import { describeRedisOutage } from "./redis-outage-suite";

const sockets = new Set<Socket>();
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describeRedisOutage("accepting connections and never answering", async () => {
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  return `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
