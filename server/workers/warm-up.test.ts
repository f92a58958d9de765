/**
 * A worker's warm-up with a model that cannot load: the other kinds still warm and are reported,
 * the worker still takes jobs, and the broken engine's jobs fail on their own instead of hanging.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import { type JobStack, PRODUCT_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { settledJob } from "@/server/jobs/test-fixtures/settled-job";
import { installFromMirror } from "@/test/install-models";

const dir = mkdtempSync(path.join(tmpdir(), "parla-warm-up-"));
// A folder counts as an installed Kokoro; this one holds no model at all.
const brokenKokoro = mkdtempSync(path.join(tmpdir(), "parla-broken-kokoro-"));
let stack: JobStack;

beforeAll(async () => {
  await installFromMirror(path.join(dir, "models"), ["silero-vad", "whisper-tiny-random"]);
  stack = await startJobStack({
    settings: {
      DATA_DIR: dir,
      KOKORO_MODEL: brokenKokoro,
      WHISPER_MODEL: "",
      AUTH_SECRET: "a".repeat(64),
      BACKEND_SECRET: "b".repeat(64),
    },
    handlerModule: PRODUCT_HANDLERS,
  });
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(brokenKokoro, { recursive: true, force: true });
});

it("leaves a kind whose model cannot load out of the report, warms the rest, and keeps taking jobs", {
  timeout: 90_000,
}, async () => {
  await stack.pool.warm();
  expect(stack.pool.engines).toEqual([
    {
      kind: "transcription",
      engine: "whisper-tiny-random",
      provider: expect.stringMatching(/^(cuda|webgpu|cpu)$/),
    },
  ]);
  const userId = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
  const { id } = await stack.jobs.create({
    userId,
    kind: "speech",
    options: { voice: "af_heart", model: "kokoro", format: "wav", speed: 1 },
    input: { name: "input.txt", bytes: new TextEncoder().encode("This voice cannot load.") },
  });
  expect((await settledJob(stack.jobs, userId, id, 60_000)).status).toBe("failed");
  expect(stack.pool.replaced).toBe(0);
});
