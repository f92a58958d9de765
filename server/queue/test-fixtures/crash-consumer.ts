/**
 * A consumer process for embedded-queue.crash.test.ts: takes jobs from the SQLite queue at
 * argv[2] and hangs inside each, telling the parent on stdout, so the parent can kill -9 it
 * mid-job. Only job ids are printed, never payloads.
 */
import { openDatabase } from "@/lib/node/db/connect";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";

const [dbPath, leaseMs] = [process.argv[2], Number(process.argv[3] ?? 1000)];
if (!dbPath) throw new Error("usage: crash-consumer.ts <sqlite path> [leaseMs]");

const handle = await openDatabase({ kind: "sqlite", path: dbPath });
const queue = new EmbeddedQueue(handle, { pollIntervalMs: 25 });
queue.startConsumer({
  concurrency: 1,
  leaseMs,
  handler: async (job) => {
    process.stdout.write(`started ${job.id}\n`);
    await new Promise(() => {});
  },
});
