/**
 * The job service with real worker processes, a real SQLite database and each result store:
 * local disk, and a real S3-compatible server (s3rver). Every delete is checked against the
 * disk, the database and the store.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findJob } from "@/app/_server/db/queries/jobs";
import { createShare, openShare } from "@/app/_server/db/queries/shares";
import { createUser, setTier } from "@/app/_server/db/queries/users";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import type { JobView } from "@/lib/schemas/jobs";
import { BullmqQueue } from "@/server/queue/bullmq-queue";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { LocalResultStore } from "@/server/storage/local-result-store";
import type { ResultStore } from "@/server/storage/result-store";
import { S3ResultStore } from "@/server/storage/s3-result-store";
import { WorkerPool } from "@/server/workers/pool";
import { deleteRedisKeys, hasRedis, TEST_REDIS_URL, uniqueRedisPrefix } from "@/test/redis";
import { startTestS3 } from "@/test/s3";
import { JobEvents } from "./job-events";
import { JobFiles } from "./job-files";
import { JobService } from "./job-service";
import { settledJob } from "./test-fixtures/settled-job";

const HANDLERS = fileURLToPath(new URL("./test-fixtures/paced-handlers.ts", import.meta.url));
const DAY_MS = 86_400_000;
const dir = mkdtempSync(path.join(tmpdir(), "parla-jobs-"));
const logDir = path.join(dir, "attempt-logs");
let db: DatabaseHandle;
let files: JobFiles;
let results: ResultStore;
let jobs: JobService;
let queue: EmbeddedQueue;
let pool: WorkerPool;

const STORES = [
  {
    name: "local disk",
    open: async () => ({ store: new LocalResultStore(path.join(dir, "results")), close: async () => {} }),
  },
  {
    name: "S3 (s3rver)",
    open: async () => {
      const s3 = await startTestS3();
      return { store: new S3ResultStore(s3.settings), close: () => s3.close() };
    },
  },
];

beforeAll(async () => {
  db = await openDatabase({ kind: "sqlite", path: path.join(dir, "test.db") }, { migrate: true });
  files = new JobFiles(path.join(dir, "jobs"));
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newUser(tier: "free" | "pro" = "free") {
  const { id } = await createUser(db, { email: `${randomUUID()}@example.com` });
  if (tier !== "free") await setTier(db, { userId: id, tier });
  return id;
}

function speech(userId: string, options: Record<string, unknown> = {}, text = "hello there") {
  return jobs.create({
    userId,
    kind: "speech",
    options: { voice: "af_heart", logDir, ...options },
    input: { name: "input.txt", bytes: new TextEncoder().encode(text) },
  });
}

const settled = (userId: string, id: string, timeoutMs = 15_000): Promise<JobView> =>
  settledJob(jobs, userId, id, timeoutMs);

async function readStored(userId: string, jobId: string, name: string): Promise<string | undefined> {
  const stored = await results.get({ userId, jobId }, name);
  return stored && new Response(stored.body).text();
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n") : []);
const attempts = (id: string, log = "attempts.log") => lines(path.join(logDir, id, log));

describe.each(STORES)("JobService, results on $name", (storeUnderTest) => {
  let closeStore: () => Promise<void>;

  beforeAll(async () => {
    const opened = await storeUnderTest.open();
    results = opened.store;
    closeStore = opened.close;
    queue = new EmbeddedQueue(db, { retryBackoffMs: 50, pollIntervalMs: 25, subscribePollMs: 50 });
    pool = new WorkerPool({ handlerModule: HANDLERS, size: 2, jobTimeoutMs: 20_000 });
    jobs = new JobService({
      db,
      queue,
      pool,
      files,
      results,
      events: new JobEvents(),
      logger: pino({ level: "silent" }),
    });
    jobs.start({ concurrency: 2 });
  });
  afterAll(async () => {
    await jobs.stop();
    await pool.close();
    await queue.close();
    await results.close();
    await closeStore();
  });
  afterEach(async () => {
    // Each test starts with nobody's jobs in flight.
    const { jobs: table } = db.tables;
    await db.db.delete(table);
  });

  it("runs a job on a worker, reports progress, stores the result and removes the working folder", async () => {
    const userId = await newUser();
    const { id, status } = await speech(userId);
    expect(status).toBe("queued");
    const seen: number[] = [];
    const done = await new Promise<JobView>((resolve) => {
      const poll = setInterval(async () => {
        const view = await jobs.get(userId, id);
        seen.push(view.progress);
        if (view.status === "succeeded") {
          clearInterval(poll);
          resolve(view);
        }
      }, 30);
    });
    expect(done.result?.files).toEqual([{ name: "speech.txt", mime: "text/plain", bytes: 11 }]);
    expect(done.engine).toBe("paced");
    expect(await readStored(userId, id, "speech.txt")).toBe("HELLO THERE");
    expect(seen.some((fraction) => fraction > 0 && fraction < 1)).toBe(true);
    // Input, scratch and the worker's output: removed right after the row says succeeded (not
    // before, so a crash in between retries the job from its input).
    await until(() => !existsSync(files.dir(id)));
  });

  it("refuses a person past their own cap with 429 and Retry-After, before keeping anything", async () => {
    const userId = await newUser();
    const cap = LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER;
    for (let i = 0; i < cap; i++) await speech(userId, { steps: 50, stepMs: 100 });
    const foldersBefore = readdirSync(path.join(dir, "jobs")).length;
    const refusal = await speech(userId).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      status: 429,
      headers: { "Retry-After": String(LIMITS.jobs.BUSY_RETRY_AFTER_SECONDS) },
    });
    expect(readdirSync(path.join(dir, "jobs")).length).toBe(foldersBefore);
    // Someone else is not affected by this person's cap.
    await expect(speech(await newUser())).resolves.toMatchObject({ status: "queued" });
    for (const job of await jobs.list(userId)) await jobs.cancel(job.id);
  });

  it("refuses a job for a person who does not exist, keeping nothing", async () => {
    const foldersBefore = readdirSync(path.join(dir, "jobs")).length;
    await expect(speech(randomUUID())).rejects.toMatchObject({ status: 404, message: "No such user" });
    expect(readdirSync(path.join(dir, "jobs")).length).toBe(foldersBefore);
  });

  it("cancels a running job within seconds; it is never retried and keeps no files", {
    timeout: 60_000,
  }, async () => {
    const userId = await newUser();
    const { id } = await speech(userId, { steps: 100, stepMs: 100 });
    // Progress means the handler itself is running in its worker, not merely claimed (a worker
    // replaced after an earlier cancel may take a while to start on a busy machine).
    const deadline = Date.now() + 30_000;
    while ((await jobs.get(userId, id)).progress === 0 && Date.now() < deadline) await sleep(25);
    expect((await jobs.get(userId, id)).status).toBe("running");
    const started = Date.now();
    const replacedBefore = pool.replaced;
    expect(await jobs.cancelOrDelete(userId, id)).toBe("canceled");
    const view = await settled(userId, id);
    expect(view.status).toBe("canceled");
    expect(Date.now() - started).toBeLessThan(3000);
    await sleep(500);
    expect(attempts(id)).toEqual(["1"]);
    expect((await jobs.get(userId, id)).status).toBe("canceled");
    expect(existsSync(files.dir(id))).toBe(false);
    expect(await results.list({ userId, jobId: id })).toEqual([]);
    // The handler stopped when asked, so its worker (and a real one's warm models) stayed.
    expect(pool.replaced).toBe(replacedBefore);
  });

  it("cancels a queued job and removes its working folder at once", async () => {
    const userId = await newUser();
    // Two long jobs hold both workers, so the third waits.
    const busy = [
      await speech(userId, { steps: 50, stepMs: 100 }),
      await speech(userId, { steps: 50, stepMs: 100 }),
    ];
    const { id } = await speech(userId);
    expect((await jobs.get(userId, id)).status).toBe("queued");
    expect(existsSync(files.dir(id))).toBe(true);
    expect(await jobs.cancelOrDelete(userId, id)).toBe("canceled");
    expect(existsSync(files.dir(id))).toBe(false);
    for (const job of busy) await jobs.cancel(job.id);
  });

  it("retries a job whose worker died, and finishes it exactly once", async () => {
    const userId = await newUser();
    const { id } = await speech(userId, { crashOnAttempt: 1 });
    const view = await settled(userId, id);
    expect(view.status).toBe("succeeded");
    expect(attempts(id)).toEqual(["1", "2"]);
    expect(attempts(id, "completions.log")).toEqual(["2"]);
    expect(pool.replaced).toBeGreaterThanOrEqual(1);
    expect(await results.list({ userId, jobId: id })).toEqual(["speech.txt"]);
  });

  it("hides other people's jobs behind the same 404 as missing ones", async () => {
    const owner = await newUser();
    const { id } = await speech(owner);
    await settled(owner, id);
    const stranger = await newUser();
    for (const attempt of [
      () => jobs.get(stranger, id),
      () => jobs.cancelOrDelete(stranger, id),
      () => jobs.get(owner, randomUUID()),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ status: 404, message: "No such job" });
    }
  });

  it("deletes a finished job from the store, database and its links", async () => {
    const userId = await newUser();
    const { id } = await speech(userId);
    await settled(userId, id);
    expect(await results.list({ userId, jobId: id })).toEqual(["speech.txt"]);
    const { token } = await createShare(db, { jobId: id, userId, expiresAt: null });
    expect(await jobs.cancelOrDelete(userId, id)).toBe("deleted");
    expect(existsSync(files.dir(id))).toBe(false);
    expect(await results.list({ userId, jobId: id })).toEqual([]);
    expect(await findJob(db, id)).toBeUndefined();
    expect(await openShare(db, token, { countView: false })).toBeUndefined();
    expect(await queue.get(id)).toBeNull();
  });

  it("deletes everything a person owns and leaves no file, object or row behind", async () => {
    const userId = await newUser();
    const other = await newUser();
    const mine = [
      await speech(userId),
      await speech(userId),
      await speech(userId, { steps: 100, stepMs: 100 }),
    ];
    const theirs = await speech(other);
    await settled(userId, mine[0]?.id ?? "");
    await settled(userId, mine[1]?.id ?? "");
    // A result stored without a row, as a crash between upload and bookkeeping would leave it.
    const orphan = path.join(dir, "orphan.txt");
    writeFileSync(orphan, "left behind");
    await results.put({ userId, jobId: randomUUID() }, "speech.txt", { path: orphan, mime: "text/plain" });
    expect(await results.listUser(userId)).toHaveLength(3);

    expect(await jobs.deleteAllOf(userId)).toBe(3);
    for (const { id } of mine) {
      expect(existsSync(files.dir(id))).toBe(false);
      expect(await findJob(db, id)).toBeUndefined();
    }
    expect(await results.listUser(userId)).toEqual([]);
    expect(await jobs.list(userId)).toEqual([]);
    expect((await settled(other, theirs.id)).status).toBe("succeeded");
    expect(await results.listUser(other)).toEqual([`${theirs.id}/speech.txt`]);
  });

  it("keeps a pro person's result past a free person's: each job expires by its owner's tier", async () => {
    const free = await newUser("free");
    const pro = await newUser("pro");
    const freeJob = await speech(free);
    const proJob = await speech(pro);
    const [freeView, proView] = [await settled(free, freeJob.id), await settled(pro, proJob.id)];
    const keptDays = (view: JobView) =>
      Math.round((Date.parse(view.expiresAt) - Date.parse(view.createdAt)) / DAY_MS);
    expect(keptDays(freeView)).toBe(LIMITS.jobs.RETENTION_DAYS_FREE);
    expect(keptDays(proView)).toBe(LIMITS.jobs.RETENTION_DAYS_PRO);

    // A day before the free limit: nothing goes.
    expect(
      await jobs.sweepExpired(new Date(Date.now() + (LIMITS.jobs.RETENTION_DAYS_FREE - 1) * DAY_MS)),
    ).toBe(0);
    // A day after it: the free job is gone from row and store; the pro job is untouched.
    expect(
      await jobs.sweepExpired(new Date(Date.now() + (LIMITS.jobs.RETENTION_DAYS_FREE + 1) * DAY_MS)),
    ).toBe(1);
    expect(await findJob(db, freeJob.id)).toBeUndefined();
    expect(await results.listUser(free)).toEqual([]);
    expect(await readStored(pro, proJob.id, "speech.txt")).toBe("HELLO THERE");
    // A day after the pro limit: it goes too.
    expect(
      await jobs.sweepExpired(new Date(Date.now() + (LIMITS.jobs.RETENTION_DAYS_PRO + 1) * DAY_MS)),
    ).toBe(1);
    expect(await findJob(db, proJob.id)).toBeUndefined();
    expect(await results.listUser(pro)).toEqual([]);
  });

  it("puts a job row that never reached the queue back on it", async () => {
    const userId = await newUser();
    const { id } = await speech(userId, { steps: 2 });
    await settled(userId, id);
    await until(() => !existsSync(files.dir(id)));
    // Simulate a crash between the row's insert and the queue's add (the input is still there).
    const { jobs: table } = db.tables;
    await db.db.update(table).set({ status: "queued", progress: 0, result: null });
    await files.create(id);
    writeFileSync(files.file(id, "input.txt"), "hello again");
    await queue.remove(id);
    await jobs.reconcile();
    expect((await settled(userId, id)).status).toBe("succeeded");
    expect(await readStored(userId, id, "speech.txt")).toBe("HELLO AGAIN");
  });
});

const QUEUES = [
  { name: "embedded", redis: false, open: async (_prefix: string) => new EmbeddedQueue(db) },
  {
    name: "bullmq",
    redis: true,
    open: async (prefix: string) => new BullmqQueue({ url: TEST_REDIS_URL, prefix }),
  },
];

describe.each(QUEUES)("place in line on the $name queue", (queueUnderTest) => {
  it.skipIf(queueUnderTest.redis && !hasRedis)(
    "gives each waiting job its 1-based position, moving up as jobs ahead leave",
    async () => {
      const prefix = uniqueRedisPrefix("position");
      const lineQueue = await queueUnderTest.open(prefix);
      // No consumer: every job waits, so the line is exactly the order of creation.
      const service = new JobService({
        db,
        queue: lineQueue,
        pool: new WorkerPool({ handlerModule: HANDLERS, size: 1 }),
        files,
        results: new LocalResultStore(path.join(dir, "results")),
        events: new JobEvents(),
        logger: pino({ level: "silent" }),
      });
      const [a, b] = [await newUser(), await newUser()];
      const create = (userId: string) =>
        service.create({
          userId,
          kind: "speech",
          options: {},
          input: { name: "input.txt", bytes: new Uint8Array([104]) },
        });
      const ids = [(await create(a)).id, (await create(b)).id, (await create(a)).id];
      const positions = async () =>
        Promise.all(ids.map(async (id, i) => (await service.get(i === 1 ? b : a, id)).position));
      expect(await positions()).toEqual([1, 2, 3]);
      await service.cancel(ids[0] as string);
      expect(await positions()).toEqual([null, 1, 2]);
      await service.cancelOrDelete(b, ids[1] as string);
      expect(await positions()).toEqual([null, null, 1]);
      for (const id of ids) await service.cancel(id);
      await lineQueue.close();
      if (queueUnderTest.redis) await deleteRedisKeys(prefix);
      await db.db.delete(db.tables.jobs);
    },
  );
});

async function until(check: () => boolean, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(10);
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
