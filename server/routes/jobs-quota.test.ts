/**
 * Daily quotas where they are charged: the backend's job creation, through the real app (signed
 * requests, real queue and worker, real ffprobe on made audio), with small injected quotas.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, setTier } from "@/app/_server/db/queries/users";
import { loadConfig } from "@/lib/node/config";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { QuotaMeter } from "@/lib/quota/quota-meter";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";
import { createTestApp } from "@/server/app";
import { makeTone } from "@/server/audio/make-test-audio";
import { JobEvents } from "@/server/jobs/job-events";
import { JobFiles } from "@/server/jobs/job-files";
import { JobService } from "@/server/jobs/job-service";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { LocalResultStore } from "@/server/storage/local-result-store";
import { WorkerPool } from "@/server/workers/pool";

const SECRET = "s".repeat(64);
const HANDLERS = fileURLToPath(new URL("../jobs/test-fixtures/paced-handlers.ts", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-quota-routes-"));
const config = loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(64), BACKEND_SECRET: SECRET });
let db: DatabaseHandle;
let queue: EmbeddedQueue;
let pool: WorkerPool;
let jobs: JobService;
let app: ReturnType<typeof createTestApp>;
let tone: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  db = await openDatabase(config.database, { migrate: true });
  queue = new EmbeddedQueue(db, { pollIntervalMs: 25 });
  pool = new WorkerPool({ handlerModule: HANDLERS, size: 1 });
  const files = new JobFiles(path.join(dataDir, "jobs"));
  const results = new LocalResultStore(path.join(dataDir, "results"));
  const events = new JobEvents();
  jobs = new JobService({ db, queue, pool, files, results, events, logger: pino({ level: "silent" }) });
  jobs.start({ concurrency: 1 });
  const quota = new QuotaMeter(new RateLimiter({ store: new MemoryStore() }), {
    quotas: { speech: { free: 30, pro: 100 }, transcription: { free: 5, pro: 50 } },
  });
  app = createTestApp({ config, jobs: { jobs, db, files, results, events, pool, quota } });
  tone = new Uint8Array(readFileSync(await makeTone(dataDir, "tone.wav", 2)));
});

afterAll(async () => {
  await jobs.stop();
  await pool.close();
  await queue.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(pathWithQuery: string, body: Uint8Array<ArrayBuffer>, contentType: string) {
  const signature = await signRequest({
    secret: SECRET,
    method: "POST",
    pathWithQuery,
    body,
    timestampSeconds: nowInSeconds(),
    nonce: createNonce(),
  });
  return app.request(pathWithQuery, {
    method: "POST",
    body,
    headers: { ...signature, "content-type": contentType },
  });
}

const speak = (userId: string, input: string) =>
  call(
    `/internal/users/${userId}/jobs/speech`,
    new TextEncoder().encode(JSON.stringify({ input, options: { voice: "af_heart", format: "wav" } })),
    "application/json",
  );
const transcribe = (userId: string) =>
  call(
    `/internal/users/${userId}/jobs/transcription?${new URLSearchParams({ options: "{}" })}`,
    tone,
    "application/octet-stream",
  );

const newUser = async () => (await createUser(db, { email: `${randomUUID()}@example.com` })).id;

describe("daily quotas at job creation", () => {
  it("charges speech by characters and refuses the job past the quota with 429, the headers and its name", async () => {
    const userId = await newUser();
    expect((await speak(userId, "a".repeat(20))).status).toBe(202);
    const refused = await speak(userId, "b".repeat(11));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: { code: "rate_limited:quota", quota: "speech-characters-day" },
    });
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.headers.get("RateLimit-Policy")).toBe('"speech-characters-day";q=30;w=86400');
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("10");
    // What is left still fits exactly.
    expect((await speak(userId, "d".repeat(10))).status).toBe(202);

    // A pro account's quota is larger, and today's use carries over.
    await setTier(db, { userId, tier: "pro" });
    expect((await speak(userId, "c".repeat(11))).status).toBe(202);
  });

  it("charges transcription by the seconds ffprobe reads, before the job is queued", async () => {
    const userId = await newUser();
    expect((await transcribe(userId)).status).toBe(202);
    expect((await transcribe(userId)).status).toBe(202);
    const refused = await transcribe(userId);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { quota: "transcription-seconds-day" } });
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("1");
    const rows = await db.db.select().from(db.tables.jobs);
    expect(rows.filter((row) => row.userId === userId)).toHaveLength(2);
  });
});
