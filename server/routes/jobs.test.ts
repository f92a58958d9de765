/**
 * The backend's job routes through the real app (signed requests, real queue, real worker
 * processes): the Server-Sent Events sequence of a job, and the share access matrix.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import { loadConfig } from "@/lib/node/config";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { type JobView, jobViewSchema } from "@/lib/schemas/jobs";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";
import { createTestApp } from "@/server/app";
import { JobEvents } from "@/server/jobs/job-events";
import { JobFiles } from "@/server/jobs/job-files";
import { JobService } from "@/server/jobs/job-service";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { LocalResultStore } from "@/server/storage/local-result-store";
import type { ResultStore } from "@/server/storage/result-store";
import { S3ResultStore } from "@/server/storage/s3-result-store";
import { WorkerPool } from "@/server/workers/pool";
import { startTestS3 } from "@/test/s3";

const SECRET = "s".repeat(64);
const HANDLERS = fileURLToPath(new URL("../jobs/test-fixtures/paced-handlers.ts", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-routes-"));
const config = loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(64), BACKEND_SECRET: SECRET });
let db: DatabaseHandle;
let jobs: JobService;
let app: ReturnType<typeof createTestApp>;
let stack: Stack;

interface Stack {
  db: DatabaseHandle;
  jobs: JobService;
  app: ReturnType<typeof createTestApp>;
  close(): Promise<void>;
}

/** The real machinery behind the routes: its own database, queue, one worker, and a result store. */
async function startStack(dbPath: string, results: ResultStore): Promise<Stack> {
  const stackDb = await openDatabase({ kind: "sqlite", path: dbPath }, { migrate: true });
  const queue = new EmbeddedQueue(stackDb, { pollIntervalMs: 25 });
  const pool = new WorkerPool({ handlerModule: HANDLERS, size: 1 });
  const files = new JobFiles(path.join(path.dirname(dbPath), "jobs"));
  const events = new JobEvents();
  const service = new JobService({
    db: stackDb,
    queue,
    pool,
    files,
    results,
    events,
    logger: pino({ level: "silent" }),
  });
  service.start({ concurrency: 1 });
  return {
    db: stackDb,
    jobs: service,
    app: createTestApp({ config, jobs: { jobs: service, db: stackDb, files, results, events } }),
    async close() {
      await service.stop();
      await pool.close();
      await queue.close();
      await results.close();
      await stackDb.close();
    },
  };
}

beforeAll(async () => {
  stack = await startStack(
    path.join(dataDir, "parla.db"),
    new LocalResultStore(path.join(dataDir, "results")),
  );
  ({ db, jobs, app } = stack);
});

afterAll(async () => {
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(
  method: string,
  pathWithQuery: string,
  body?: unknown,
  target?: ReturnType<typeof createTestApp>,
) {
  const bytes = body === undefined ? "" : JSON.stringify(body);
  const signature = await signRequest({
    secret: SECRET,
    method,
    pathWithQuery,
    body: bytes,
    timestampSeconds: nowInSeconds(),
    nonce: createNonce(),
  });
  return (target ?? app).request(pathWithQuery, {
    method,
    body: body === undefined ? undefined : bytes,
    headers: { ...signature, "content-type": "application/json" },
  });
}

async function newJob(userId: string, options: Record<string, unknown> = {}): Promise<string> {
  const created = await jobs.create({
    userId,
    kind: "speech",
    options: { voice: "af_heart", ...options },
    input: { name: "input.txt", bytes: new TextEncoder().encode("hello") },
  });
  return created.id;
}

/** Reads a whole SSE response into its events. */
async function readEvents(response: Response): Promise<{ event: string; data: string }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? "message",
      data: /^data: (.*)$/m.exec(block)?.[1] ?? "",
    }));
}

describe("job routes", () => {
  it("streams a job's progress as Server-Sent Events until it ends", async () => {
    const userId = (await createUser(db, { email: `${randomUUID()}@example.com` })).id;
    const id = await newJob(userId, { steps: 6, stepMs: 300 });
    const response = await call("GET", `/internal/users/${userId}/jobs/${id}/events`);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readEvents(response);
    const views: JobView[] = events.map((event) => jobViewSchema.parse(JSON.parse(event.data)));
    expect(events.every((event) => event.event === "job")).toBe(true);
    expect(views.at(-1)?.status).toBe("succeeded");
    const running = views.filter((view) => view.status === "running");
    expect(running.length).toBeGreaterThanOrEqual(2);
    const progress = views.map((view) => view.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    // Each event is a change: no two in a row are the same.
    for (let i = 1; i < events.length; i++) expect(events[i]?.data).not.toBe(events[i - 1]?.data);
  });

  it("tells a waiting job its place in line, by GET and in its events, until it starts", async () => {
    const userId = (await createUser(db, { email: `${randomUUID()}@example.com` })).id;
    // One worker: the first job runs, the next two wait behind it.
    const first = await newJob(userId, { steps: 8, stepMs: 250 });
    // Shorter than the 1 s poll: the place in line must go out when the line moves, not on a poll.
    const second = await newJob(userId, { steps: 4, stepMs: 150 });
    const third = await newJob(userId, { steps: 2, stepMs: 50 });
    for (let i = 0; i < 100 && (await jobs.get(userId, first)).status !== "running"; i++) await sleep(20);
    const read = async (id: string) =>
      jobViewSchema.parse(await (await call("GET", `/internal/users/${userId}/jobs/${id}`)).json());
    expect((await read(first)).position).toBeNull();
    expect([(await read(second)).position, (await read(third)).position]).toEqual([1, 2]);

    const events = (
      await readEvents(await call("GET", `/internal/users/${userId}/jobs/${third}/events`))
    ).map((event) => jobViewSchema.parse(JSON.parse(event.data)));
    const queued = events.filter((view) => view.status === "queued").map((view) => view.position);
    // Second in line, then first once the job ahead starts; no position once it runs.
    expect(queued).toEqual([2, 1]);
    expect(events.filter((view) => view.status !== "queued").every((view) => view.position === null)).toBe(
      true,
    );
    expect(events.at(-1)?.status).toBe("succeeded");
  }, 30_000);

  it("opens a share only for the right, live token, and tells strangers nothing else", async () => {
    const owner = (await createUser(db, { email: `${randomUUID()}@example.com` })).id;
    const stranger = (await createUser(db, { email: `${randomUUID()}@example.com` })).id;
    const id = await newJob(owner);
    for (let i = 0; i < 100 && (await jobs.get(owner, id)).status !== "succeeded"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await call("POST", `/internal/users/${stranger}/jobs/${id}/shares`, {})).status).toBe(404);
    const shared = await call("POST", `/internal/users/${owner}/jobs/${id}/shares`, { expiresInDays: 1 });
    expect(shared.status).toBe(201);
    const { token } = (await shared.json()) as { token: string };

    const open = await call("GET", `/internal/shares/${token}`);
    expect(open.status).toBe(200);
    const body = (await open.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["createdAt", "kind", "result", "views"]);
    expect((await call("GET", `/internal/shares/${token}/files/speech.txt`)).status).toBe(200);

    const wrong = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    for (const other of [wrong, "x", "..%2F..%2Fetc"]) {
      const refused = await call("GET", `/internal/shares/${other}`);
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe("No such link");
    }
    expect((await call("DELETE", `/internal/users/${stranger}/shares/${token}`)).status).toBe(404);
    expect((await call("DELETE", `/internal/users/${owner}/shares/${token}`)).status).toBe(200);
    expect((await call("GET", `/internal/shares/${token}`)).status).toBe(404);
    expect((await call("GET", `/internal/shares/${token}/files/speech.txt`)).status).toBe(404);
  });

  it("streams result files and shared files from an S3 bucket", async () => {
    const s3 = await startTestS3();
    const s3Dir = mkdtempSync(path.join(tmpdir(), "parla-routes-s3-"));
    const s3Stack = await startStack(path.join(s3Dir, "parla.db"), new S3ResultStore(s3.settings));
    try {
      const userId = (await createUser(s3Stack.db, { email: `${randomUUID()}@example.com` })).id;
      const { id } = await s3Stack.jobs.create({
        userId,
        kind: "speech",
        options: { steps: 1, stepMs: 10 },
        input: { name: "input.txt", bytes: new TextEncoder().encode("from the bucket") },
      });
      for (let i = 0; i < 200 && (await s3Stack.jobs.get(userId, id)).status !== "succeeded"; i++)
        await sleep(25);
      // Nothing of the job is left on local disk: the bytes can only come from the bucket.
      for (let i = 0; i < 100 && readdirSync(path.join(s3Dir, "jobs")).length > 0; i++) await sleep(20);
      expect(readdirSync(path.join(s3Dir, "jobs"))).toEqual([]);
      const file = await call(
        "GET",
        `/internal/users/${userId}/jobs/${id}/files/speech.txt`,
        undefined,
        s3Stack.app,
      );
      expect(file.status).toBe(200);
      expect(file.headers.get("content-length")).toBe("15");
      expect(await file.text()).toBe("FROM THE BUCKET");
      const shared = await call("POST", `/internal/users/${userId}/jobs/${id}/shares`, {}, s3Stack.app);
      const { token } = (await shared.json()) as { token: string };
      const viaLink = await call("GET", `/internal/shares/${token}/files/speech.txt`, undefined, s3Stack.app);
      expect(await viaLink.text()).toBe("FROM THE BUCKET");
      // Listed in the result but gone from the bucket: a clean 404, not a 500.
      await s3Stack.jobs.cancelOrDelete(userId, id);
      expect(
        (await call("GET", `/internal/shares/${token}/files/speech.txt`, undefined, s3Stack.app)).status,
      ).toBe(404);
    } finally {
      await s3Stack.close();
      await s3.close();
      rmSync(s3Dir, { recursive: true, force: true });
    }
  }, 30_000);
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
