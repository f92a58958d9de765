/**
 * A speech job's live audio through the real backend app: signed requests, the real queue, real
 * worker processes running the basic voice (Debian's espeak-ng) and the Piper fixture
 * (PIPER_VOICE as a folder). Audio starts before the job ends, decodes back, and a caller going
 * away cancels the job.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import type { JobView } from "@/lib/schemas/jobs";
import { parseWav16 } from "@/server/audio/wav";
import { type JobStack, PRODUCT_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { settledJob } from "@/server/jobs/test-fixtures/settled-job";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { readTimed } from "@/test/read-timed";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-speech-stream-route-"));
const env = {
  DATA_DIR: dataDir,
  AUTH_SECRET: "x".repeat(64),
  BACKEND_SECRET: "s".repeat(64),
  PIPER_VOICE: path.join(MODEL_MIRROR_DIR, "test", "piper-vits-random"),
  // No Kokoro here: asking for it is an input error the person can read.
  KOKORO_MODEL: path.join(dataDir, "no-kokoro"),
};
let stack: JobStack;
let userId: string;

beforeAll(async () => {
  stack = await startJobStack({
    settings: env,
    handlerModule: PRODUCT_HANDLERS,
  });
  userId = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
});

afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const SENTENCES = Array.from(
  { length: 12 },
  (_, i) => `This is sentence number ${i + 1}, spoken while the rest is still being made.`,
).join(" ");

async function speak(options: Record<string, unknown>, input = SENTENCES): Promise<string> {
  const created = await stack.call("POST", `/internal/users/${userId}/jobs/speech`, {
    body: { input, options: { voice: "basic_en_us", model: "basic", format: "wav", speed: 1, ...options } },
  });
  expect(created.status).toBe(202);
  return ((await created.json()) as { id: string }).id;
}

const settled = (id: string): Promise<JobView> => settledJob(stack.jobs, userId, id, 30_000);

describe("GET /internal/users/:userId/jobs/:id/audio", () => {
  it("streams a streaming WAV whose first bytes come before the job ends", async () => {
    const id = await speak({});
    const response = await stack.call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=wav`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/wav");
    const { bytes, firstAt } = await readTimed(response);
    const job = await settled(id);
    expect(job.status).toBe("succeeded");
    expect(firstAt).toBeLessThan(Date.parse(job.finishedAt ?? ""));
    const audio = parseWav16(bytes);
    expect(audio.sampleRate).toBe(22_050);
    // The live stream holds the same audio as the finished job's file.
    expect(audio.samples.length / audio.sampleRate).toBeCloseTo(job.result?.durationSeconds ?? 0, 1);
  });

  it("speaks with the Piper voice PIPER_VOICE names, encoded to mp3 on the fly", async () => {
    const id = await speak(
      { model: "piper", voice: "piper-en-us-lessac-medium", format: "mp3" },
      "Hello there. Piper speaks.",
    );
    const response = await stack.call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=mp3`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/mpeg");
    const { bytes } = await readTimed(response);
    const file = path.join(dataDir, "piper.mp3");
    writeFileSync(file, bytes);
    const probe = execFileSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "stream=sample_rate,codec_name", "-of", "csv=p=0", file],
      {
        encoding: "utf8",
      },
    );
    expect(probe.trim()).toBe("mp3,22050");
    expect((await settled(id)).engine).toMatch(/^piper \(/);
  });

  it("answers a job that fails before any audio with its reason, not an empty stream", async () => {
    const id = await speak({ model: "kokoro", voice: "af_heart" }, "Hello.");
    const response = await stack.call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=mp3`);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toMatch(/kokoro.*not installed/i);
    expect(body.error.type).toBe("invalid_request_error");
  });

  it("cancels the job when the caller goes away mid-stream", async () => {
    const long = Array.from({ length: 8 }, () => SENTENCES).join(" ");
    const id = await speak({}, long);
    const stop = new AbortController();
    const response = await stack.call(
      "GET",
      `/internal/users/${userId}/jobs/${id}/audio?format=mp3&cancelOnDisconnect=1`,
      {
        signal: stop.signal,
      },
    );
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    stop.abort();
    await reader?.cancel().catch(() => undefined);
    const job = await settled(id);
    expect(job.status).toBe("canceled");
  });
});
