import { createServer, type Server, type Socket } from "node:net";
import { afterAll } from "vitest";
import { freePort } from "@/test/ports";
import { deleteRedisKeys, hasRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "@/test/redis";
import { RedisStore } from "./redis-store";
import { describeStoreConformance } from "./store.conformance";

const prefix = uniqueRedisPrefix("rate-limit");
const stores: RedisStore[] = [];
const servers: Server[] = [];

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  for (const server of servers) server.close();
  if (hasRedis) await deleteRedisKeys(prefix);
});

/** A TCP server that accepts connections and never says a word: a hung Redis. */
async function silentPort(): Promise<number> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  server.on("close", () => {
    for (const socket of sockets) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return (server.address() as { port: number }).port;
}

function store(url: string, timeoutMs?: number): RedisStore {
  const created = new RedisStore({ url, prefix, timeoutMs });
  stores.push(created);
  return created;
}

if (hasRedis) {
  describeStoreConformance({
    name: "redis",
    store: () => store(TEST_REDIS_URL),
    downStore: async () => store(`redis://127.0.0.1:${await freePort()}`, 300),
    slowStore: async () => store(`redis://127.0.0.1:${await silentPort()}`, 300),
  });
}
