import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findJob } from "@/app/_server/db/queries/jobs";
import { createShare, openShare } from "@/app/_server/db/queries/shares";
import { createUser } from "@/app/_server/db/queries/users";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import type { JobView } from "@/lib/schemas/jobs";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { WorkerPool } from "@/server/workers/pool";
import { JobEvents } from "./job-events";
import { JobFiles } from "./job-files";
import { JobService } from "./job-service";

const HANDLERS = fileURLToPath(new URL("./test-fixtures/paced-handlers.ts", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "parla-jobs-"));
let db: DatabaseHandle;
let files: JobFiles;
let jobs: JobService;
let queue: EmbeddedQueue;
let pool: WorkerPool;

async function startService() {
  queue = new EmbeddedQueue(db, { retryBackoffMs: 50, pollIntervalMs: 25, subscribePollMs: 50 });
  pool = new WorkerPool({ handlerModule: HANDLERS, size: 2, jobTimeoutMs: 20_000 });
  jobs = new JobService({
    db,
    queue,
    pool,
    files,
    events: new JobEvents(),
    logger: pino({ level: "silent" }),
  });
  jobs.start({ concurrency: 2 });
}

async function stopService() {
  await jobs.stop();
  await pool.close();
  await queue.close();
}

beforeAll(async () => {
  db = await openDatabase({ kind: "sqlite", path: path.join(dir, "test.db") }, { migrate: true });
  files = new JobFiles(path.join(dir, "jobs"));
  await startService();
});
afterAll(async () => {
  await stopService();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newUser() {
  return (await createUser(db, { email: `${randomUUID()}@example.com` })).id;
}

function speech(userId: string, options: Record<string, unknown> = {}, text = "hello there") {
  return jobs.create({
    userId,
    kind: "speech",
    options: { voice: "af_heart", ...options },
    input: { name: "input.txt", bytes: new TextEncoder().encode(text) },
  });
}

async function settled(userId: string, id: string, timeoutMs = 15_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await jobs.get(userId, id);
    if (["succeeded", "failed", "canceled"].includes(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`job still ${view.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n") : []);

afterEach(async () => {
  // Each test starts with nobody's jobs in flight.
  const { jobs: table } = db.tables;
  await db.db.delete(table);
});

describe("JobService", () => {
  it("runs a job on a worker, reports progress, and keeps the result in the job's folder", async () => {
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
    expect(readFileSync(files.file(id, "speech.txt"), "utf8")).toBe("HELLO THERE");
    expect(seen.some((fraction) => fraction > 0 && fraction < 1)).toBe(true);
    expect(existsSync(files.scratch(id))).toBe(false);
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

  it("cancels a running job within seconds; it is never retried", async () => {
    const userId = await newUser();
    const { id } = await speech(userId, { steps: 100, stepMs: 100 });
    const deadline = Date.now() + 10_000;
    // Progress means the handler itself is running in its worker, not merely claimed.
    while ((await jobs.get(userId, id)).progress === 0 && Date.now() < deadline) await sleep(25);
    const started = Date.now();
    expect(await jobs.cancelOrDelete(userId, id)).toBe("canceled");
    const view = await settled(userId, id);
    expect(view.status).toBe("canceled");
    expect(Date.now() - started).toBeLessThan(3000);
    await sleep(500);
    expect(lines(path.join(files.dir(id), "attempts.log"))).toEqual(["1"]);
    expect((await jobs.get(userId, id)).status).toBe("canceled");
  });

  it("retries a job whose worker died, and finishes it exactly once", async () => {
    const userId = await newUser();
    const { id } = await speech(userId, { crashOnAttempt: 1 });
    const view = await settled(userId, id);
    expect(view.status).toBe("succeeded");
    expect(lines(path.join(files.dir(id), "attempts.log"))).toEqual(["1", "2"]);
    expect(lines(path.join(files.dir(id), "completions.log"))).toEqual(["2"]);
    expect(pool.replaced).toBeGreaterThanOrEqual(1);
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

  it("deletes a finished job from disk, database and its links", async () => {
    const userId = await newUser();
    const { id } = await speech(userId);
    await settled(userId, id);
    const { token } = await createShare(db, { jobId: id, userId, expiresAt: null });
    expect(await jobs.cancelOrDelete(userId, id)).toBe("deleted");
    expect(existsSync(files.dir(id))).toBe(false);
    expect(await findJob(db, id)).toBeUndefined();
    expect(await openShare(db, token, { countView: false })).toBeUndefined();
    expect(await queue.get(id)).toBeNull();
  });

  it("deletes everything a person owns and leaves no file or row behind", async () => {
    const userId = await newUser();
    const other = await newUser();
    const mine = [await speech(userId), await speech(userId, { steps: 100, stepMs: 100 })];
    const theirs = await speech(other);
    await settled(userId, mine[0]?.id ?? "");
    expect(await jobs.deleteAllOf(userId)).toBe(2);
    for (const { id } of mine) {
      expect(existsSync(files.dir(id))).toBe(false);
      expect(await findJob(db, id)).toBeUndefined();
    }
    expect(await jobs.list(userId)).toEqual([]);
    expect((await settled(other, theirs.id)).status).toBe("succeeded");
  });

  it("sweeps jobs past their retention time", async () => {
    const userId = await newUser();
    const { id } = await speech(userId);
    await settled(userId, id);
    expect(
      await jobs.sweepExpired(new Date(Date.now() + (LIMITS.jobs.RETENTION_DAYS_FREE - 1) * 86_400_000)),
    ).toBe(0);
    expect(
      await jobs.sweepExpired(new Date(Date.now() + (LIMITS.jobs.RETENTION_DAYS_FREE + 1) * 86_400_000)),
    ).toBe(1);
    expect(existsSync(files.dir(id))).toBe(false);
    expect(await findJob(db, id)).toBeUndefined();
  });

  it("puts a job row that never reached the queue back on it", async () => {
    const userId = await newUser();
    const { id } = await speech(userId, { steps: 2 });
    await settled(userId, id);
    // Simulate a crash between the row's insert and the queue's add.
    const { jobs: table } = db.tables;
    await db.db.update(table).set({ status: "queued", progress: 0, result: null });
    await queue.remove(id);
    await jobs.reconcile();
    expect((await settled(userId, id)).status).toBe("succeeded");
  });
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
