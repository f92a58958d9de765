import { afterAll } from "vitest";
import { deleteRedisKeys, hasRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "@/test/redis";
import { startUpstashRestBridge, type UpstashRestBridge } from "@/test/upstash-rest-bridge";
import { describeStoreConformance } from "./store.conformance";
import { UpstashStore } from "./upstash-store";

const prefix = uniqueRedisPrefix("rate-limit-upstash");
const bridges: UpstashRestBridge[] = [];
const live = hasRedis ? await startUpstashRestBridge(TEST_REDIS_URL) : undefined;
if (live) bridges.push(live);

afterAll(async () => {
  await Promise.all(bridges.map((bridge) => bridge.stop()));
  if (hasRedis) await deleteRedisKeys(prefix);
});

if (live) {
  describeStoreConformance({
    name: "upstash",
    // Correctness, not speed: 200 REST calls at once on a busy 2-core machine can pass the
    // production timeout, which the down/slow cases below test on their own.
    store: () => new UpstashStore({ url: live.url, token: live.token, prefix, timeoutMs: 10_000 }),
    downStore: async () => {
      const bridge = await startUpstashRestBridge(TEST_REDIS_URL);
      const store = new UpstashStore({ url: bridge.url, token: bridge.token, prefix, timeoutMs: 300 });
      await bridge.stop();
      return store;
    },
    slowStore: async () => {
      const bridge = await startUpstashRestBridge(TEST_REDIS_URL);
      bridges.push(bridge);
      bridge.setStalled(true);
      return new UpstashStore({ url: bridge.url, token: bridge.token, prefix, timeoutMs: 300 });
    },
  });
}
