/**
 * The backend's job routes through the real app (signed requests, real queue, real worker
 * processes): the Server-Sent Events sequence of a job, and the share access matrix.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
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
import { WorkerPool } from "@/server/workers/pool";

const SECRET = "s".repeat(64);
const HANDLERS = fileURLToPath(new URL("../jobs/test-fixtures/paced-handlers.ts", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-routes-"));
const config = loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(64), BACKEND_SECRET: SECRET });
let db: DatabaseHandle;
let queue: EmbeddedQueue;
let pool: WorkerPool;
let jobs: JobService;
let app: ReturnType<typeof createTestApp>;

beforeAll(async () => {
  db = await openDatabase(config.database, { migrate: true });
  queue = new EmbeddedQueue(db, { pollIntervalMs: 25 });
  pool = new WorkerPool({ handlerModule: HANDLERS, size: 1 });
  const files = new JobFiles(path.join(dataDir, "jobs"));
  const events = new JobEvents();
  jobs = new JobService({ db, queue, pool, files, events, logger: pino({ level: "silent" }) });
  jobs.start({ concurrency: 1 });
  app = createTestApp({ config, jobs: { jobs, db, files, events } });
});

afterAll(async () => {
  await jobs.stop();
  await pool.close();
  await queue.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, pathWithQuery: string, body?: unknown) {
  const bytes = body === undefined ? "" : JSON.stringify(body);
  const signature = await signRequest({
    secret: SECRET,
    method,
    pathWithQuery,
    body: bytes,
    timestampSeconds: nowInSeconds(),
    nonce: createNonce(),
  });
  return app.request(pathWithQuery, {
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
});
