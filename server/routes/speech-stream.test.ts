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
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import { loadConfig } from "@/lib/node/config";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";
import type { JobView } from "@/lib/schemas/jobs";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";
import { createTestApp } from "@/server/app";
import { parseWav16 } from "@/server/audio/wav";
import { JobEvents } from "@/server/jobs/job-events";
import { JobFiles } from "@/server/jobs/job-files";
import { JobService } from "@/server/jobs/job-service";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { LocalResultStore } from "@/server/storage/local-result-store";
import { WorkerPool } from "@/server/workers/pool";
import { MODEL_MIRROR_DIR } from "@/test/mirror";

const SECRET = "s".repeat(64);
const HANDLERS = fileURLToPath(new URL("../workers/job-handlers.ts", import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-speech-stream-route-"));
const env = {
  DATA_DIR: dataDir,
  AUTH_SECRET: "x".repeat(64),
  BACKEND_SECRET: SECRET,
  PIPER_VOICE: path.join(MODEL_MIRROR_DIR, "test", "piper-vits-random"),
  // No Kokoro here: asking for it is an input error the person can read.
  KOKORO_MODEL: path.join(dataDir, "no-kokoro"),
};
const config = loadConfig(env);
let db: DatabaseHandle;
let queue: EmbeddedQueue;
let pool: WorkerPool;
let jobs: JobService;
let app: ReturnType<typeof createTestApp>;
let userId: string;

beforeAll(async () => {
  db = await openDatabase(config.database, { migrate: true });
  queue = new EmbeddedQueue(db, { pollIntervalMs: 25 });
  pool = new WorkerPool({ handlerModule: HANDLERS, size: 1, env: { ...process.env, ...env } });
  const files = new JobFiles(path.join(dataDir, "jobs"));
  const results = new LocalResultStore(path.join(dataDir, "results"));
  const events = new JobEvents();
  jobs = new JobService({ db, queue, pool, files, results, events, logger: pino({ level: "silent" }) });
  jobs.start({ concurrency: 1 });
  app = createTestApp({ config, jobs: { jobs, db, files, results, events } });
  userId = (await createUser(db, { email: `${randomUUID()}@example.com` })).id;
});

afterAll(async () => {
  await jobs.stop();
  await pool.close();
  await queue.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(
  method: string,
  pathWithQuery: string,
  init: { body?: unknown; signal?: AbortSignal } = {},
) {
  const bytes = init.body === undefined ? "" : JSON.stringify(init.body);
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
    body: init.body === undefined ? undefined : bytes,
    headers: { ...signature, "content-type": "application/json" },
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

const SENTENCES = Array.from(
  { length: 12 },
  (_, i) => `This is sentence number ${i + 1}, spoken while the rest is still being made.`,
).join(" ");

async function speak(options: Record<string, unknown>, input = SENTENCES): Promise<string> {
  const created = await call("POST", `/internal/users/${userId}/jobs/speech`, {
    body: { input, options: { voice: "basic_en_us", model: "basic", format: "wav", speed: 1, ...options } },
  });
  expect(created.status).toBe(202);
  return ((await created.json()) as { id: string }).id;
}

/** The whole body, and when its first bytes came. */
async function readTimed(response: Response): Promise<{ bytes: Buffer; firstAt: number }> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const parts: Uint8Array[] = [];
  let firstAt = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    firstAt ||= Date.now();
    parts.push(read.value);
  }
  return { bytes: Buffer.concat(parts), firstAt };
}

async function settled(id: string): Promise<JobView> {
  for (let i = 0; i < 600; i++) {
    const view = await jobs.get(userId, id);
    if (["succeeded", "failed", "canceled"].includes(view.status)) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("job did not settle");
}

describe("GET /internal/users/:userId/jobs/:id/audio", () => {
  it("streams a streaming WAV whose first bytes come before the job ends", async () => {
    const id = await speak({});
    const response = await call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=wav`);
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
    const response = await call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=mp3`);
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
    const response = await call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=mp3`);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toMatch(/kokoro.*not installed/i);
    expect(body.error.type).toBe("invalid_request_error");
  });

  it("cancels the job when the caller goes away mid-stream", async () => {
    const long = Array.from({ length: 8 }, () => SENTENCES).join(" ");
    const id = await speak({}, long);
    const stop = new AbortController();
    const response = await call(
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
