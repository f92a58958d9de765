/**
 * A real crash: a consumer in a child process is killed with SIGKILL in the middle of a job;
 * a fresh consumer takes the job once the lease runs out and finishes it exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { waitFor } from "@/server/queue/queue.conformance";

const LEASE_MS = 1_000;
let dir: string;
let handle: DatabaseHandle;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "parla-queue-crash-"));
  handle = await openDatabase({ kind: "sqlite", path: path.join(dir, "queue.db") }, { migrate: true });
});

afterAll(async () => {
  child?.kill("SIGKILL");
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("finishes a job exactly once after its consumer process is killed with SIGKILL", async () => {
  const queue = new EmbeddedQueue(handle, { pollIntervalMs: 25 });
  const id = randomUUID();
  await queue.add({ id, userId: "user-1", kind: "test", payload: { n: 1 } });

  const fixture = path.join(import.meta.dirname, "test-fixtures", "crash-consumer.ts");
  // node with tsx's loader (what `npx tsx` runs, minus its wrapper processes): one process,
  // so SIGKILL reaches the consumer itself and nothing is left to heartbeat.
  child = spawn(
    process.execPath,
    ["--import", "tsx", fixture, path.join(dir, "queue.db"), String(LEASE_MS)],
    {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(
    () => output,
    (text) => text.includes(`started ${id}`),
    20_000,
  );
  expect((await queue.get(id))?.status).toBe("running");

  const exited = new Promise((resolve) => child?.once("exit", (_code, signal) => resolve(signal)));
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");

  const runs: number[] = [];
  const killedAt = Date.now();
  queue.startConsumer({
    concurrency: 1,
    leaseMs: LEASE_MS,
    handler: async (_job, ctx) => {
      runs.push(ctx.attempt);
      return "recovered";
    },
  });
  const done = await waitFor(
    () => queue.get(id),
    (job) => job?.status === "succeeded",
    10_000,
  );
  // The job could only move once the dead process's lease ran out.
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS / 2);
  expect(done).toMatchObject({ attempts: 2, result: "recovered", error: null });
  expect(runs).toEqual([2]);
  await queue.close();
}, 60_000);
