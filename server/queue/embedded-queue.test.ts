/** The conformance suite on the embedded queue, over SQLite and PostgreSQL. */

import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { describeQueueConformance } from "@/server/queue/queue.conformance";
import { describeEachDatabase } from "@/test/databases";

describeEachDatabase("embedded queue", (getHandle) => {
  describeQueueConformance("embedded", async () => ({
    // A short poll keeps cross-"process" tests (two queues on one database) quick.
    open: async (options) =>
      new EmbeddedQueue(getHandle(), { pollIntervalMs: 25, subscribePollMs: 50, ...options }),
    reset: async () => {
      const handle = getHandle();
      await handle.db.delete(handle.tables.queueJobs);
    },
  }));
});
