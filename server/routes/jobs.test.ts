/**
 * The backend's job routes through the real app (signed requests, real queue, real worker
 * processes): the Server-Sent Events sequence of a job, and the share access matrix.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import { type JobView, jobViewSchema } from "@/lib/schemas/jobs";
import { type JobStack, PACED_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { startTestS3 } from "@/test/s3";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-routes-"));
let stack: JobStack;

/** The real machinery behind the routes, kept under `dir` (results in a bucket when `more` names one). */
const startStack = (dir: string, more: Record<string, string> = {}) =>
  startJobStack({
    settings: { DATA_DIR: dir, AUTH_SECRET: "x".repeat(64), BACKEND_SECRET: "s".repeat(64), ...more },
    handlerModule: PACED_HANDLERS,
  });

beforeAll(async () => {
  stack = await startStack(dataDir);
});

afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A signed request with a JSON body, to the main stack unless another is named. */
const call = (
  method: string,
  pathWithQuery: string,
  body?: unknown,
  target: JobStack = stack,
  headers: Record<string, string> = {},
) => target.call(method, pathWithQuery, { body, headers });

async function newJob(userId: string, options: Record<string, unknown> = {}): Promise<string> {
  const created = await stack.jobs.create({
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
    const userId = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
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
    const userId = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
    // One worker: the first job runs, the next two wait behind it.
    const first = await newJob(userId, { steps: 8, stepMs: 250 });
    // Shorter than the 1 s poll: the place in line must go out when the line moves, not on a poll.
    const second = await newJob(userId, { steps: 4, stepMs: 150 });
    const third = await newJob(userId, { steps: 2, stepMs: 50 });
    for (let i = 0; i < 100 && (await stack.jobs.get(userId, first)).status !== "running"; i++)
      await sleep(20);
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
    const owner = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
    const stranger = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
    const id = await newJob(owner);
    for (let i = 0; i < 100 && (await stack.jobs.get(owner, id)).status !== "succeeded"; i++) {
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
    // Ranges as a player asks them: the tail, and one it cannot have (the whole file then).
    const tail = await call("GET", `/internal/shares/${token}/files/speech.txt`, undefined, undefined, {
      range: "bytes=-2",
    });
    expect(tail.status).toBe(206);
    expect(tail.headers.get("content-range")).toMatch(/^bytes \d+-\d+\/\d+$/);
    const whole = await call("GET", `/internal/shares/${token}/files/speech.txt`, undefined, undefined, {
      range: "bytes=999-",
    });
    expect(whole.status).toBe(200);
    expect((await whole.text()).endsWith(await tail.text())).toBe(true);

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
    const s3Stack = await startStack(s3Dir, s3.env);
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
        s3Stack,
      );
      expect(file.status).toBe(200);
      expect(file.headers.get("content-length")).toBe("15");
      expect(file.headers.get("accept-ranges")).toBe("bytes");
      expect(await file.text()).toBe("FROM THE BUCKET");
      // A player seeking: one range, from the bucket.
      const ranged = await call(
        "GET",
        `/internal/users/${userId}/jobs/${id}/files/speech.txt`,
        undefined,
        s3Stack,
        { range: "bytes=5-7" },
      );
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get("content-range")).toBe("bytes 5-7/15");
      expect(ranged.headers.get("content-length")).toBe("3");
      expect(await ranged.text()).toBe("THE");
      const shared = await call("POST", `/internal/users/${userId}/jobs/${id}/shares`, {}, s3Stack);
      const { token } = (await shared.json()) as { token: string };
      const viaLink = await call("GET", `/internal/shares/${token}/files/speech.txt`, undefined, s3Stack);
      expect(await viaLink.text()).toBe("FROM THE BUCKET");
      // Listed in the result but gone from the bucket: a clean 404, not a 500.
      await s3Stack.jobs.cancelOrDelete(userId, id);
      expect(
        (await call("GET", `/internal/shares/${token}/files/speech.txt`, undefined, s3Stack)).status,
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
