/**
 * A daily quota seen from outside: POST /api/jobs (the Next handler, with an API key) → the real
 * backend on a port (signed link, real queue and worker, quota charged there) → the 429 comes
 * back to the caller with Retry-After, the rate-limit headers and the quota's name.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import { NextRequest } from "next/server";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { createUser } from "@/app/_server/db/queries/users";
import { loadConfig } from "@/lib/node/config";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { QuotaMeter } from "@/lib/quota/quota-meter";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import { createTestApp } from "@/server/app";
import { JobEvents } from "@/server/jobs/job-events";
import { JobFiles } from "@/server/jobs/job-files";
import { JobService } from "@/server/jobs/job-service";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { LocalResultStore } from "@/server/storage/local-result-store";
import { WorkerPool } from "@/server/workers/pool";
import { freePort } from "@/test/ports";

const HANDLERS = fileURLToPath(
  new URL("../../../server/jobs/test-fixtures/paced-handlers.ts", import.meta.url),
);
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-quota-link-"));
const env = { DATA_DIR: dataDir, AUTH_SECRET: "a".repeat(64), BACKEND_SECRET: "k".repeat(64) };
let db: DatabaseHandle;
let queue: EmbeddedQueue;
let pool: WorkerPool;
let jobs: JobService;
let server: ServerType;

beforeAll(async () => {
  const port = await freePort();
  for (const [name, value] of Object.entries({
    ...env,
    BACKEND_URL: `http://127.0.0.1:${port}`,
    REDIS_URL: "",
  })) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv("UPSTASH_REDIS_REST_URL", "");
  vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", "");
  const config = loadConfig(env);
  db = await openDatabase(config.database, { migrate: true });
  queue = new EmbeddedQueue(db, { pollIntervalMs: 25 });
  pool = new WorkerPool({ handlerModule: HANDLERS, size: 1 });
  const files = new JobFiles(path.join(dataDir, "jobs"));
  const results = new LocalResultStore(path.join(dataDir, "results"));
  const events = new JobEvents();
  jobs = new JobService({ db, queue, pool, files, results, events, logger: pino({ level: "silent" }) });
  jobs.start({ concurrency: 1 });
  const quota = new QuotaMeter(new RateLimiter({ store: new MemoryStore() }), {
    quotas: { speech: { free: 40, pro: 400 }, transcription: { free: 5, pro: 50 } },
  });
  const app = createTestApp({ config, jobs: { jobs, db, files, results, events, pool, quota } });
  server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await jobs.stop();
  await pool.close();
  await queue.close();
  await db.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a daily quota through the web app", () => {
  it("answers the job past the quota with 429, Retry-After, the rate-limit headers and the quota's name", async () => {
    const { POST } = await import("@/app/api/jobs/route");
    const user = await createUser(db, { email: `${randomUUID()}@example.com` });
    const { key } = await createApiKey(db, { userId: user.id, scopes: ["speech"] });
    const speak = (input: string) =>
      POST(
        new NextRequest("http://localhost/api/jobs", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ kind: "speech", input, voice: "af_heart", format: "wav" }),
        }),
      );
    expect((await speak("x".repeat(30))).status).toBe(202);
    const refused = await speak("y".repeat(11));
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; quota: string; message: string } };
    expect(body.error).toMatchObject({ code: "rate_limited:quota", quota: "speech-characters-day" });
    expect(body.error.message).toContain("needs 11 characters, 10 of 40 are left today");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.headers.get("RateLimit-Policy")).toBe('"speech-characters-day";q=40;w=86400');
    expect(refused.headers.get("X-RateLimit-Limit")).toBe("40");
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("10");
    expect(refused.headers.get("RateLimit")).toMatch(/^"speech-characters-day";r=10;t=\d+$/);
  });
});
