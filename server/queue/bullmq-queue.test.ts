/** The conformance suite on the BullMQ queue, over this machine's Redis (test/redis.ts). */
import { describe } from "vitest";
import { BullmqQueue } from "@/server/queue/bullmq-queue";
import { describeQueueConformance } from "@/server/queue/queue.conformance";
import { deleteRedisKeys, hasRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "@/test/redis";

describe.skipIf(!hasRedis)("bullmq queue", () => {
  describeQueueConformance("bullmq", async () => {
    // A fresh prefix per test: its keys are this test's namespace, deleted afterwards.
    const prefix = uniqueRedisPrefix("queue");
    return {
      open: async (options) => new BullmqQueue({ url: TEST_REDIS_URL, prefix, ...options }),
      reset: () => deleteRedisKeys(prefix),
    };
  });
});
