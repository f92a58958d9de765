/**
 * The behaviour every JobQueue keeps, run against each implementation (embedded-queue.test.ts,
 * bullmq-queue.test.ts). Leases are 1 s here so dead-worker tests finish in seconds.
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type JobHandler,
  type JobQueue,
  type JobSnapshot,
  PermanentJobError,
  QueueFullError,
  type QueueOptions,
  WORKER_LOST,
} from "@/server/queue/types";

/** One test's empty corner of a backend: a database table or a Redis key prefix. */
export interface QueueBackend {
  /** A queue over this namespace; open again to play a second process. */
  open(options?: QueueOptions): Promise<JobQueue>;
  /** Empties the namespace; every queue is closed by then. */
  reset(): Promise<void>;
}

const LEASE_MS = 1_000;
/** Quick retries, and caps out of the way of the tests that add many jobs. */
const FAST: QueueOptions = { retryBackoffMs: 20, maxDepth: 10_000, maxActivePerUser: 10_000 };

export async function waitFor<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise the test opens; afterEach opens any left shut so graceful stops can finish. */
const gates = new Set<() => void>();
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  gates.add(open);
  return { open, opened };
}

export function describeQueueConformance(name: string, makeBackend: () => Promise<QueueBackend>) {
  describe(`${name}: queue conformance`, () => {
    let backend: QueueBackend;
    let queues: JobQueue[];
    const user = "user-1";

    async function open(options: QueueOptions = {}) {
      const queue = await backend.open({ ...FAST, ...options });
      queues.push(queue);
      return queue;
    }

    function job(id: string = randomUUID(), payload: unknown = {}) {
      return { id, userId: user, kind: "test", payload };
    }

    const status = (queue: JobQueue, id: string, wanted: JobSnapshot["status"], timeoutMs?: number) =>
      waitFor(
        () => queue.get(id),
        (snapshot) => snapshot?.status === wanted,
        timeoutMs,
      ) as Promise<JobSnapshot>;

    beforeEach(async () => {
      backend = await makeBackend();
      queues = [];
    });

    afterEach(async () => {
      for (const open of gates) open();
      gates.clear();
      await Promise.all(queues.map((queue) => queue.close()));
      await backend.reset();
    });

    it("runs jobs first in, first out", async () => {
      const queue = await open();
      const ids = Array.from({ length: 6 }, (_, i) => `fifo-${i}-${randomUUID()}`);
      for (const id of ids) await queue.add(job(id));
      const seen: string[] = [];
      queue.startConsumer({ concurrency: 1, leaseMs: LEASE_MS, handler: async (j) => void seen.push(j.id) });
      await waitFor(
        () => seen.length,
        (n) => n === ids.length,
      );
      expect(seen).toEqual(ids);
    });

    it("treats adding a known id as a no-op", async () => {
      const queue = await open();
      const id = randomUUID();
      expect(await queue.add(job(id, { n: 1 }))).toEqual({ added: true });
      expect(await queue.add(job(id, { n: 2 }))).toEqual({ added: false });
      const payloads: unknown[] = [];
      queue.startConsumer({
        concurrency: 2,
        leaseMs: LEASE_MS,
        handler: async (j) => void payloads.push(j.payload),
      });
      await status(queue, id, "succeeded");
      await sleep(200);
      expect(payloads).toEqual([{ n: 1 }]);
      expect(await queue.add(job(id, { n: 3 }))).toEqual({ added: false });
    });

    it("hands each job to exactly one of two competing consumers", async () => {
      const [first, second] = [await open(), await open()];
      const ids = Array.from({ length: 40 }, () => randomUUID());
      for (const id of ids) await first.add(job(id));
      const runs = new Map<string, number>();
      const byConsumer = [0, 0];
      const handler =
        (which: 0 | 1): JobHandler =>
        async (j) => {
          runs.set(j.id, (runs.get(j.id) ?? 0) + 1);
          byConsumer[which] = (byConsumer[which] ?? 0) + 1;
          await sleep(Math.random() * 15);
          return { by: which };
        };
      first.startConsumer({ concurrency: 4, leaseMs: LEASE_MS, handler: handler(0) });
      second.startConsumer({ concurrency: 4, leaseMs: LEASE_MS, handler: handler(1) });
      for (const id of ids) {
        const done = await status(first, id, "succeeded", 10_000);
        expect(done.attempts).toBe(1);
      }
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(runs.size).toBe(ids.length);
      expect(await first.depth()).toBe(0);
    });

    it("retries a failing job and records the success", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add({ ...job(id), maxAttempts: 3 });
      const attempts: number[] = [];
      queue.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async (_j, ctx) => {
          attempts.push(ctx.attempt);
          if (ctx.attempt < 3) throw new Error(`flaky ${ctx.attempt}`);
          return { ok: true };
        },
      });
      const done = await status(queue, id, "succeeded");
      expect(attempts).toEqual([1, 2, 3]);
      expect(done).toMatchObject({ attempts: 3, result: { ok: true }, progress: 1 });
    });

    it("fails with the last reason once the attempts are spent", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add({ ...job(id), maxAttempts: 2 });
      let calls = 0;
      queue.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async (_j, ctx) => {
          calls++;
          throw new Error(`boom ${ctx.attempt}`);
        },
      });
      const failed = await status(queue, id, "failed");
      expect(failed).toMatchObject({ attempts: 2, error: "boom 2", result: null });
      expect(failed.finishedAt).toBeInstanceOf(Date);
      await sleep(200);
      expect(calls).toBe(2);
    });

    it("fails a PermanentJobError at once", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add({ ...job(id), maxAttempts: 5 });
      let calls = 0;
      queue.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async () => {
          calls++;
          throw new PermanentJobError("unreadable input");
        },
      });
      expect(await status(queue, id, "failed")).toMatchObject({ attempts: 1, error: "unreadable input" });
      await sleep(200);
      expect(calls).toBe(1);
    });

    it("shows progress to subscribers and through get()", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add(job(id));
      const seen: JobSnapshot[] = [];
      const unsubscribe = queue.subscribe(id, (snapshot) => seen.push(snapshot));
      const finish = gate();
      queue.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async (_j, ctx) => {
          await ctx.progress(0.25, "decoding");
          // Subscribers re-read the job on each change, so a change made before the read of the
          // previous one may be folded into it; waiting makes each stage observable in turn.
          await waitFor(() => seen.some((s) => s.stage === "decoding"), Boolean);
          await ctx.progress(0.5, "transcribing");
          await finish.opened;
          return "done";
        },
      });
      const midway = await waitFor(
        () => queue.get(id),
        (snapshot) => snapshot?.stage === "transcribing",
      );
      expect(midway?.status).toBe("running");
      expect(midway?.progress).toBeCloseTo(0.5);
      await waitFor(() => seen.some((s) => s.stage === "transcribing"), Boolean);
      finish.open();
      await waitFor(
        () => seen.at(-1)?.status,
        (last) => last === "succeeded",
      );
      unsubscribe();
      const statuses = seen.map((s) => s.status);
      expect(statuses.indexOf("running")).toBeLessThan(statuses.indexOf("succeeded"));
      expect(seen.find((s) => s.stage === "decoding")?.progress).toBeCloseTo(0.25);
      expect(seen.at(-1)?.result).toBe("done");
    });

    it("cancels a queued job at once and never runs it", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add(job(id));
      expect(await queue.cancel(id)).toBe(true);
      expect((await queue.get(id))?.status).toBe("canceled");
      expect(await queue.position(id)).toBeNull();
      let calls = 0;
      queue.startConsumer({ concurrency: 1, leaseMs: LEASE_MS, handler: async () => void calls++ });
      await sleep(300);
      expect(calls).toBe(0);
      expect((await queue.get(id))?.status).toBe("canceled");
      expect(await queue.cancel(id)).toBe(false);
      expect(await queue.depth()).toBe(0);
    });

    for (const from of ["this queue", "another queue (process)"] as const) {
      it(`cancels a running job from ${from}: its signal aborts within a second, no retry`, async () => {
        const queue = await open();
        const other = from === "this queue" ? queue : await open();
        const id = randomUUID();
        await queue.add({ ...job(id), maxAttempts: 3 });
        let calls = 0;
        let abortedAt = 0;
        queue.startConsumer({
          concurrency: 1,
          leaseMs: LEASE_MS,
          handler: (_j, ctx) =>
            new Promise((_resolve, reject) => {
              calls++;
              ctx.signal.addEventListener("abort", () => {
                abortedAt = Date.now();
                reject(ctx.signal.reason);
              });
            }),
        });
        await status(queue, id, "running");
        const canceledAt = Date.now();
        expect(await other.cancel(id)).toBe(true);
        await waitFor(
          () => abortedAt,
          (at) => at > 0,
          1_000,
        );
        expect(abortedAt - canceledAt).toBeLessThan(1_000);
        expect(await status(queue, id, "canceled")).toMatchObject({ attempts: 1 });
        await sleep(300);
        expect(calls).toBe(1);
        expect((await queue.get(id))?.status).toBe("canceled");
      });
    }

    it("gives a dead consumer's job to another after the lease, and finishes it once", async () => {
      const doomed = await open();
      const survivor = await open();
      const id = randomUUID();
      await doomed.add({ ...job(id), maxAttempts: 3 });
      const hang = gate();
      let doomedCalls = 0;
      const dead = doomed.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async () => {
          doomedCalls++;
          await hang.opened;
          return "from the dead";
        },
      });
      await status(doomed, id, "running");
      await dead.abandon();
      const survivorRuns: number[] = [];
      survivor.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async (_j, ctx) => {
          survivorRuns.push(ctx.attempt);
          return "from the survivor";
        },
      });
      const done = await status(survivor, id, "succeeded", 8_000);
      expect(done).toMatchObject({ attempts: 2, result: "from the survivor" });
      expect(survivorRuns).toEqual([2]);
      // The zombie finishing later must change nothing.
      hang.open();
      await sleep(200);
      expect(doomedCalls).toBe(1);
      expect(await survivor.get(id)).toMatchObject({ status: "succeeded", result: "from the survivor" });
    });

    it('fails a dead consumer\'s job on its last attempt with "worker lost"', async () => {
      const doomed = await open();
      const survivor = await open();
      const id = randomUUID();
      await doomed.add({ ...job(id), maxAttempts: 1 });
      const hang = gate();
      const dead = doomed.startConsumer({ concurrency: 1, leaseMs: LEASE_MS, handler: () => hang.opened });
      await status(doomed, id, "running");
      await dead.abandon();
      let survivorCalls = 0;
      survivor.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async () => void survivorCalls++,
      });
      expect(await status(survivor, id, "failed", 8_000)).toMatchObject({ error: WORKER_LOST, attempts: 1 });
      expect(survivorCalls).toBe(0);
      hang.open();
    });

    it("reports place in line, depth and each user's active jobs", async () => {
      const queue = await open();
      const [a1, a2, b1] = [randomUUID(), randomUUID(), randomUUID()];
      await queue.add(job(a1));
      await queue.add(job(a2));
      await queue.add({ ...job(b1), userId: "user-2" });
      expect([await queue.position(a1), await queue.position(a2), await queue.position(b1)]).toEqual([
        1, 2, 3,
      ]);
      expect(await queue.depth()).toBe(3);
      expect(await queue.activeCount(user)).toBe(2);
      expect(await queue.activeCount("user-2")).toBe(1);
      expect(await queue.activeCount("nobody")).toBe(0);

      const release = gate();
      queue.startConsumer({ concurrency: 1, leaseMs: LEASE_MS, handler: () => release.opened });
      await status(queue, a1, "running");
      expect(await queue.position(a1)).toBeNull();
      expect([await queue.position(a2), await queue.position(b1)]).toEqual([1, 2]);
      expect(await queue.depth()).toBe(3);
      expect(await queue.activeCount(user)).toBe(2);
      release.open();
      await status(queue, b1, "succeeded");
      expect(await queue.depth()).toBe(0);
      expect(await queue.activeCount(user)).toBe(0);
      expect(await queue.position(b1)).toBeNull();
    });

    it("removes a job", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add(job(id));
      expect(await queue.remove(id)).toBe(true);
      expect(await queue.get(id)).toBeNull();
      expect(await queue.position(id)).toBeNull();
      expect(await queue.depth()).toBe(0);
      expect(await queue.remove(id)).toBe(false);
    });

    it("refuses jobs beyond the depth and per-user caps, but still accepts a known id", async () => {
      const queue = await open({ maxDepth: 3, maxActivePerUser: 2 });
      const [a, b] = [randomUUID(), randomUUID()];
      await queue.add(job(a));
      await queue.add(job(b));
      await expect(queue.add(job())).rejects.toMatchObject({ name: "QueueFullError", scope: "user" });
      expect(await queue.add(job(a))).toEqual({ added: false });
      await queue.add({ ...job(), userId: "user-2" });
      const refused = queue.add({ ...job(), userId: "user-3" });
      await expect(refused).rejects.toBeInstanceOf(QueueFullError);
      await expect(refused).rejects.toMatchObject({ scope: "queue" });
    });

    it("stop() waits for running handlers and records them", async () => {
      const queue = await open();
      const id = randomUUID();
      await queue.add(job(id));
      const consumer = queue.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async () => {
          await sleep(300);
          return 42;
        },
      });
      await status(queue, id, "running");
      await consumer.stop();
      expect(await queue.get(id)).toMatchObject({ status: "succeeded", result: 42 });
    });

    it("keeps queued jobs across a restart", async () => {
      const before = await open();
      const id = randomUUID();
      await before.add(job(id, { kept: true }));
      await before.close();
      const after = await open();
      expect((await after.get(id))?.status).toBe("queued");
      const payloads: unknown[] = [];
      after.startConsumer({
        concurrency: 1,
        leaseMs: LEASE_MS,
        handler: async (j) => void payloads.push(j.payload),
      });
      await status(after, id, "succeeded");
      expect(payloads).toEqual([{ kept: true }]);
    });
  });
}
