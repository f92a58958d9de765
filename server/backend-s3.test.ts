/**
 * The real backend process with S3_* settings, against a real S3-compatible server (s3rver):
 * a speech job's result is uploaded to the bucket, read back through the backend, and "delete
 * everything I own" leaves no object behind. Nothing of the job stays on local disk.
 */

import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { backendRequest, backendStream } from "@/app/_server/backend-client";
import { createUser } from "@/app/_server/db/queries/users";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import { jobCreatedSchema, TERMINAL_STATUSES } from "@/lib/schemas/jobs";
import { startBackendProcess, waitForJob } from "@/scripts/support/backend-process";
import { S3ResultStore } from "@/server/storage/s3-result-store";
import { stubBackendProcessEnv } from "@/test/backend-process-env";
import { freePort } from "@/test/ports";
import { startTestS3, type TestS3 } from "@/test/s3";

const _ROOT = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-backend-s3-"));
let backend: ChildProcess | undefined;
let db: DatabaseHandle;
let s3: TestS3;
let bucket: S3ResultStore;

beforeAll(async () => {
  s3 = await startTestS3();
  bucket = new S3ResultStore(s3.settings);
  stubBackendProcessEnv(dataDir, await freePort());
  for (const [name, value] of Object.entries(s3.env)) vi.stubEnv(name, value);
  db = await openDatabase({ kind: "sqlite", path: path.join(dataDir, "parla.db") }, { migrate: true });
  backend = await startBackendProcess();
});

afterAll(async () => {
  backend?.kill("SIGKILL");
  await db?.close();
  await bucket?.close();
  await s3?.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("backend with S3 result storage", () => {
  it("stores results in the bucket, serves them from there, and deletes a person's data to the last object", async () => {
    const user = await createUser(db, { email: "s3@example.com" });
    const ids: string[] = [];
    for (const format of ["wav", "mp3"]) {
      const { id } = await backendRequest({
        method: "POST",
        path: `/internal/users/${user.id}/jobs/speech`,
        body: {
          input: "Parla keeps this in a bucket.",
          options: { voice: "alloy", model: "tts-1", format, speed: 1 },
        },
        schema: jobCreatedSchema,
      });
      ids.push(id);
    }
    for (const id of ids)
      expect(
        (await waitForJob(user.id, id, (view) => TERMINAL_STATUSES.has(view.status), { timeoutMs: 60_000 }))
          .status,
      ).toBe("succeeded");
    expect(await bucket.listUser(user.id)).toEqual([`${ids[0]}/speech.wav`, `${ids[1]}/speech.mp3`].sort());
    // Working folders go right after the row says succeeded; results were never kept locally.
    for (let i = 0; i < 100 && readdirSync(path.join(dataDir, "jobs")).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(readdirSync(path.join(dataDir, "jobs"))).toEqual([]);
    expect(existsSync(path.join(dataDir, "results"))).toBe(false);

    const file = await backendStream({
      method: "GET",
      path: `/internal/users/${user.id}/jobs/${ids[0]}/files/speech.wav`,
    });
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 4)).toString("ascii")).toBe("RIFF");
    expect(Number(file.headers.get("content-length"))).toBe(bytes.byteLength);

    const deleted = await backendRequest({
      method: "DELETE",
      path: `/internal/users/${user.id}/data`,
      schema: z.object({ deletedJobs: z.number() }),
    });
    expect(deleted.deletedJobs).toBe(2);
    expect(await bucket.listUser(user.id)).toEqual([]);
  }, 90_000);
});
