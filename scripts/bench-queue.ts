/**
 * `npm run bench:queue`: the two job queues side by side. For each: jobs per second through an
 * empty handler, time from add() to the handler starting when idle (added in this process, and
 * from a second queue instance as another process would), and the time to notice a dead worker
 * and give its job to a live one with the production lease. Prints a table and writes
 * bench-results/queue.json. BullMQ uses REDIS_URL (default redis://127.0.0.1:6379) and is
 * skipped with a note when unreachable.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { LIMITS } from "@/lib/limits";
import { openDatabase } from "@/lib/node/db/connect";
import { createLogger } from "@/lib/node/logger";
import { BullmqQueue } from "@/server/queue/bullmq-queue";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import type { JobQueue } from "@/server/queue/types";
import { deleteKeysUnder } from "@/test/redis-keys";

const THROUGHPUT_JOBS = 2_000;
const CONCURRENCY = 8;
const LATENCY_SAMPLES = 50;
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const logger = createLogger({ name: "bench-queue", level: "error" });
/** Caps out of the way: the bench fills the queue on purpose. */
const UNCAPPED = { maxDepth: 1_000_000, maxActivePerUser: 1_000_000 };

interface QueueUnderTest {
  name: string;
  /** A queue instance; each call is a separate "process" (own connection or database handle). */
  open(): Promise<JobQueue>;
  cleanup(): Promise<void>;
}

interface Result {
  queue: string;
  enqueuePerSecond: number;
  jobsPerSecond: number;
  startLatencyMs: {
    sameProcess: { median: number; p95: number };
    otherProcess: { median: number; p95: number };
  };
  deadWorker: { leaseMs: number; requeueMs: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(2);
  }
}

async function throughput(q: QueueUnderTest) {
  const queue = await q.open();
  const addStart = performance.now();
  for (let i = 0; i < THROUGHPUT_JOBS; i++) {
    await queue.add({ id: randomUUID(), userId: `u${i % 50}`, kind: "bench", payload: { i } });
  }
  const enqueuePerSecond = THROUGHPUT_JOBS / ((performance.now() - addStart) / 1000);
  let handled = 0;
  const start = performance.now();
  const consumer = queue.startConsumer({ concurrency: CONCURRENCY, handler: async () => void handled++ });
  await until(async () => handled === THROUGHPUT_JOBS && (await queue.depth()) === 0, 120_000);
  const jobsPerSecond = THROUGHPUT_JOBS / ((performance.now() - start) / 1000);
  await consumer.stop();
  await queue.close();
  return { enqueuePerSecond, jobsPerSecond };
}

async function startLatency(q: QueueUnderTest, from: "same" | "other") {
  const queue = await q.open();
  const adder = from === "same" ? queue : await q.open();
  const started = new Map<string, number>();
  const consumer = queue.startConsumer({
    concurrency: 1,
    handler: async (job) => void started.set(job.id, performance.now()),
  });
  await sleep(500);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const id = randomUUID();
    const t0 = performance.now();
    await adder.add({ id, userId: "latency", kind: "bench", payload: {} });
    await until(() => started.has(id), 10_000);
    samples.push((started.get(id) ?? t0) - t0);
    // Idle again before the next sample, at a phase the poll timer does not favour.
    await sleep(20 + Math.random() * 80);
  }
  await consumer.stop();
  if (adder !== queue) await adder.close();
  await queue.close();
  return { median: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** One consumer takes a job and dies (abandons it); time until a live consumer starts it. */
async function deadWorker(q: QueueUnderTest) {
  const leaseMs = LIMITS.queue.LEASE_MS;
  const doomedQueue = await q.open();
  const survivorQueue = await q.open();
  const id = randomUUID();
  let taken = false;
  const doomed = doomedQueue.startConsumer({
    concurrency: 1,
    leaseMs,
    handler: () => {
      taken = true;
      return new Promise(() => {});
    },
  });
  await doomedQueue.add({ id, userId: "dead", kind: "bench", payload: {} });
  await until(() => taken, 10_000);
  // The survivor is already running (as in production), so its sweep timer has its own phase.
  let restartedAt = 0;
  const survivor = survivorQueue.startConsumer({
    concurrency: 1,
    leaseMs,
    handler: async () => {
      restartedAt = performance.now();
    },
  });
  await sleep(1_000);
  await doomed.abandon();
  const diedAt = performance.now();
  await until(() => restartedAt > 0, leaseMs * 4);
  await survivor.stop();
  await survivorQueue.close();
  await doomedQueue.close();
  return { leaseMs, requeueMs: restartedAt - diedAt };
}

async function embedded(): Promise<QueueUnderTest> {
  const dir = mkdtempSync(path.join(tmpdir(), "parla-bench-queue-"));
  const file = path.join(dir, "bench.db");
  const handles: { close(): Promise<void> }[] = [];
  return {
    name: "embedded (SQLite)",
    open: async () => {
      const handle = await openDatabase({ kind: "sqlite", path: file }, { migrate: handles.length === 0 });
      handles.push(handle);
      return new EmbeddedQueue(handle, { logger, ...UNCAPPED });
    },
    cleanup: async () => {
      for (const handle of handles) await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function bullmq(): Promise<QueueUnderTest | null> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0 });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    console.log(`BullMQ skipped: Redis unreachable at ${REDIS_URL}`);
    return null;
  } finally {
    probe.disconnect();
  }
  const prefix = `parla-bench:${randomBytes(6).toString("hex")}`;
  return {
    name: "BullMQ (Redis)",
    open: async () => new BullmqQueue({ url: REDIS_URL, prefix, logger, ...UNCAPPED }),
    cleanup: () => deleteKeysUnder(REDIS_URL, prefix),
  };
}

async function bench(q: QueueUnderTest): Promise<Result> {
  console.log(`${q.name}: throughput…`);
  const { enqueuePerSecond, jobsPerSecond } = await throughput(q);
  console.log(`${q.name}: start latency…`);
  const sameProcess = await startLatency(q, "same");
  const otherProcess = await startLatency(q, "other");
  console.log(`${q.name}: dead worker (lease ${LIMITS.queue.LEASE_MS} ms, takes a while)…`);
  const dead = await deadWorker(q);
  await q.cleanup();
  return {
    queue: q.name,
    enqueuePerSecond,
    jobsPerSecond,
    startLatencyMs: { sameProcess, otherProcess },
    deadWorker: dead,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number, b: number) => Number((a / b).toPrecision(2));

const queues = [await embedded(), await bullmq()].filter((q): q is QueueUnderTest => q !== null);
const results: Result[] = [];
for (const q of queues) results.push(await bench(q));

console.table(
  results.map((r) => ({
    queue: r.queue,
    "enqueue/s": Math.round(r.enqueuePerSecond),
    "jobs/s": Math.round(r.jobsPerSecond),
    "start ms median (same)": round(r.startLatencyMs.sameProcess.median),
    "start ms p95 (same)": round(r.startLatencyMs.sameProcess.p95),
    "start ms median (other)": round(r.startLatencyMs.otherProcess.median),
    "start ms p95 (other)": round(r.startLatencyMs.otherProcess.p95),
    "lease ms": r.deadWorker.leaseMs,
    "dead worker → requeued ms": Math.round(r.deadWorker.requeueMs),
  })),
);
const [first, second] = results;
const ratios =
  first && second
    ? {
        jobsPerSecond: ratio(second.jobsPerSecond, first.jobsPerSecond),
        startMedianSameProcess: ratio(
          second.startLatencyMs.sameProcess.median,
          first.startLatencyMs.sameProcess.median,
        ),
        startMedianOtherProcess: ratio(
          second.startLatencyMs.otherProcess.median,
          first.startLatencyMs.otherProcess.median,
        ),
        deadWorkerRequeue: ratio(second.deadWorker.requeueMs, first.deadWorker.requeueMs),
      }
    : null;
if (ratios) console.log(`Ratios, ${second?.queue} ÷ ${first?.queue}:`, ratios);

mkdirSync("bench-results", { recursive: true });
writeFileSync(
  path.join("bench-results", "queue.json"),
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      settings: {
        jobs: THROUGHPUT_JOBS,
        concurrency: CONCURRENCY,
        latencySamples: LATENCY_SAMPLES,
        ...LIMITS.queue,
      },
      results,
      ratios,
    },
    null,
    2,
  )}\n`,
);
console.log("Wrote bench-results/queue.json");
// Orphaned handlers of the abandoned consumers are promises that never settle; nothing else waits.
process.exit(0);
