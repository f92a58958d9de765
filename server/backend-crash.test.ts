/**
 * The whole backend killed with SIGKILL in the middle of a job, then started again: the job is
 * reclaimed when its lease runs out and finishes exactly once. Real processes, real worker,
 * real database; it waits out the production lease, so it takes about half a minute.
 */

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { backendRequest } from "@/app/_server/backend-client";
import { createUser } from "@/app/_server/db/queries/users";
import { LIMITS } from "@/lib/limits";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { jobCreatedSchema } from "@/lib/schemas/jobs";
import { startBackendProcess, waitForJob } from "@/scripts/support/backend-process";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { stubBackendProcessEnv } from "@/test/backend-process-env";
import { freePort } from "@/test/ports";

const _ROOT = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-crash-"));
const SENTENCE = "Parla keeps speaking this sentence while the backend is killed and started again. ";
let port = 0;
let backend: ChildProcess | undefined;
let db: DatabaseHandle;

beforeAll(async () => {
  port = await freePort();
  stubBackendProcessEnv(dataDir, port);
  db = await openDatabase({ kind: "sqlite", path: path.join(dataDir, "parla.db") }, { migrate: true });
});

afterAll(async () => {
  backend?.kill("SIGKILL");
  await db?.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("backend killed mid-job", () => {
  it("finishes the job exactly once after a restart", { timeout: LIMITS.queue.LEASE_MS * 3 }, async () => {
    const user = await createUser(db, { email: "crash@example.com" });
    backend = await startBackendProcess();
    const { id } = await backendRequest({
      method: "POST",
      path: `/internal/users/${user.id}/jobs/speech`,
      body: {
        input: SENTENCE.repeat(400).trim(),
        options: { voice: "alloy", model: "tts-1", format: "wav", speed: 1 },
      },
      schema: jobCreatedSchema,
    });
    await waitForJob(user.id, id, (view) => view.status === "running" && view.progress > 0.05, {
      timeoutMs: 60_000,
    });

    backend.kill("SIGKILL");
    await new Promise((resolve) => backend?.once("exit", resolve));
    backend = await startBackendProcess();

    const done = await waitForJob(
      user.id,
      id,
      (view) => view.status !== "running" && view.status !== "queued",
      { timeoutMs: LIMITS.queue.LEASE_MS * 2.5 },
    );
    expect(done.status).toBe("succeeded");
    expect(done.progress).toBe(1);
    expect(done.result?.files.map((file) => file.name)).toEqual(["speech.wav"]);
    // One result in the store (no leftover from the killed run), and the queue counted the
    // killed run and the finishing one.
    expect(readdirSync(path.join(dataDir, "results", user.id, id))).toEqual(["speech.wav"]);
    const queue = new EmbeddedQueue(db);
    expect((await queue.get(id))?.attempts).toBe(2);
    expect((await queue.get(id))?.status).toBe("succeeded");
    await queue.close();
  });
});
