/**
 * GET /api/jobs/:id/audio (the studio's "play while generating") through the real stack: the
 * Next handlers called as exports with an API key → the real backend on a port (signed link,
 * embedded queue, a worker process speaking with Debian's espeak-ng) → MP3 while the job runs.
 * Refusals keep the API's error shape; a caller that goes away releases the job's folder and
 * leaves the job itself running to the end.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { createUser } from "@/app/_server/db/queries/users";
import { RATE_LIMITS } from "@/lib/limits";
import type { JobView } from "@/lib/schemas/jobs";
import { mp3EncodersInUse } from "@/server/audio/mp3-encoder";
import { JobFiles } from "@/server/jobs/job-files";
import type { JobService } from "@/server/jobs/job-service";
import { type JobStack, PRODUCT_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { settledJob } from "@/server/jobs/test-fixtures/settled-job";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { freePort } from "@/test/ports";
import { readTimed } from "@/test/read-timed";

const RECORDING = path.join(MODEL_MIRROR_DIR, "test", "whisper-tiny-random", "jfk_16k.wav");
const dataDir = mkdtempSync(path.join(tmpdir(), "parla-live-audio-"));
const env = {
  DATA_DIR: dataDir,
  AUTH_SECRET: "a".repeat(64),
  BACKEND_SECRET: "k".repeat(64),
  // No Kokoro here: a job asking for it fails with a reason the person can read.
  KOKORO_MODEL: path.join(dataDir, "no-kokoro"),
};
const SENTENCES = Array.from(
  { length: 12 },
  (_, i) => `This is sentence number ${i + 1}, heard in the studio while the rest is still being made.`,
).join(" ");

/** The real JobFiles, counting the holds live streams keep on job folders. */
class CountedJobFiles extends JobFiles {
  readonly held = new Map<string, number>();
  override hold(jobId: string): () => Promise<void> {
    const release = super.hold(jobId);
    this.held.set(jobId, (this.held.get(jobId) ?? 0) + 1);
    let released = false;
    return async () => {
      if (!released) this.held.set(jobId, (this.held.get(jobId) ?? 1) - 1);
      released = true;
      await release();
    };
  }
}

let stack: JobStack<CountedJobFiles>;
let files: CountedJobFiles;
let jobs: JobService;
let server: ServerType;
let ownerId: string;
let ownerKey: string;
let otherKey: string;

beforeAll(async () => {
  const port = await freePort();
  const stubs = { ...env, BACKEND_URL: `http://127.0.0.1:${port}`, REDIS_URL: "" };
  for (const [name, value] of Object.entries(stubs)) vi.stubEnv(name, value);
  vi.stubEnv("UPSTASH_REDIS_REST_URL", "");
  vi.stubEnv("UPSTASH_REDIS_REST_TOKEN", "");
  stack = await startJobStack({
    settings: env,
    handlerModule: PRODUCT_HANDLERS,
    files: (jobsDir) => new CountedJobFiles(jobsDir),
  });
  ({ files, jobs } = stack);
  // A real socket, so a caller going away reaches the backend as a closed connection.
  server = serve({ fetch: stack.app.fetch, hostname: "127.0.0.1", port });

  const owner = await createUser(stack.db, { email: `${randomUUID()}@example.com` });
  ownerId = owner.id;
  ownerKey = (await createApiKey(stack.db, { userId: owner.id, scopes: ["speech", "results"] })).key;
  const other = await createUser(stack.db, { email: `${randomUUID()}@example.com` });
  otherKey = (await createApiKey(stack.db, { userId: other.id, scopes: ["speech", "results"] })).key;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.close();
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

async function speak(input: string, options: Record<string, unknown> = {}): Promise<string> {
  const { POST } = await import("@/app/api/jobs/route");
  const response = await POST(
    new NextRequest("http://localhost/api/jobs", {
      method: "POST",
      headers: { authorization: `Bearer ${ownerKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        kind: "speech",
        input,
        model: "basic",
        voice: "basic_en_us",
        format: "wav",
        ...options,
      }),
    }),
  );
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function liveAudio(id: string, key = ownerKey, signal?: AbortSignal): Promise<Response> {
  const { GET } = await import("@/app/api/jobs/[id]/audio/route");
  const request = new NextRequest(`http://localhost/api/jobs/${id}/audio`, {
    headers: { authorization: `Bearer ${key}` },
    ...(signal ? { signal } : {}),
  });
  return GET(request, { params: Promise.resolve({ id }) });
}

const settled = (id: string): Promise<JobView> => settledJob(jobs, ownerId, id, 60_000);

/**
 * The live streams' MP3 encoders that this test process (the backend) holds open: LAME
 * instances in WebAssembly, plus any ffmpeg process it started (formats LAME does not write).
 */
function encodersRunning(): number {
  let processes = 0;
  try {
    processes = execFileSync("pgrep", ["-P", String(process.pid), "-f", "ffmpeg"], { encoding: "utf8" })
      .trim()
      .split("\n").length;
  } catch {
    // pgrep exits 1 when nothing matches
  }
  return mp3EncodersInUse() + processes;
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("GET /api/jobs/:id/audio", () => {
  it("streams MP3 whose first bytes come before the job ends and which is as long as the finished file", async () => {
    const id = await speak(SENTENCES);
    const response = await liveAudio(id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/mpeg");
    expect(response.headers.get("cache-control")).toContain("no-store");
    // Metered by its own policy, which the response reports.
    expect(response.headers.get("x-ratelimit-limit")).toBe(
      String(RATE_LIMITS["live-audio"].windows[0].limit),
    );
    const { bytes, firstAt } = await readTimed(response);
    const job = await settled(id);
    expect(job.status).toBe("succeeded");
    expect(firstAt).toBeLessThan(Date.parse(job.finishedAt ?? ""));

    const file = path.join(dataDir, `${id}.mp3`);
    writeFileSync(file, bytes);
    const probe = execFileSync(
      "ffprobe",
      ["-v", "error", "-show_entries", "stream=codec_name:format=duration", "-of", "csv=p=0", file],
      { encoding: "utf8" },
    )
      .trim()
      .split("\n");
    expect(probe[0]).toBe("mp3");
    // The same audio as the finished file, give or take the MP3 encoder's padding.
    expect(Math.abs(Number(probe[1]) - (job.result?.durationSeconds ?? 0))).toBeLessThan(0.15);
  });

  it("serves the finished file by ranges, so the player that takes over can start where the live audio was", async () => {
    const id = await speak("Hello there. The finished file is sought in.");
    const job = await settled(id);
    const file = job.result?.files[0];
    expect(file?.name).toBe("speech.wav");
    const { GET } = await import("@/app/api/jobs/[id]/files/[name]/route");
    const ask = (range?: string) =>
      GET(
        new NextRequest(`http://localhost/api/jobs/${id}/files/speech.wav`, {
          headers: { authorization: `Bearer ${ownerKey}`, ...(range ? { range } : {}) },
        }),
        { params: Promise.resolve({ id, name: "speech.wav" }) },
      );
    const whole = await ask();
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.byteLength).toBe(file?.bytes);

    const part = await ask("bytes=1000-1999");
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 1000-1999/${bytes.byteLength}`);
    expect(part.headers.get("content-length")).toBe("1000");
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    // A player's first request: everything, as a range.
    const open = await ask("bytes=0-");
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("answers another person's job with 404, the same as a job that does not exist", async () => {
    const id = await speak("Only mine.");
    const response = await liveAudio(id, otherKey);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("not_found:job");
    expect((await liveAudio(randomUUID())).status).toBe(404);
    await settled(id);
  });

  it("refuses a transcription (409), a finished job (409) and a failed one (422 with its reason)", async () => {
    const transcription = await jobs.create({
      userId: ownerId,
      kind: "transcription",
      options: { container: "wav" },
      input: { name: "input.wav", bytes: new Uint8Array(readFileSync(RECORDING)) },
    });
    const notSpeech = await liveAudio(transcription.id);
    expect(notSpeech.status).toBe(409);
    expect(await errorOf(notSpeech)).toMatchObject({
      code: "conflict:speech",
      message: /only a speech job/i,
    });
    await settled(transcription.id);

    const done = await speak("Hello.");
    expect((await settled(done)).status).toBe("succeeded");
    // Its working folder goes just after the status says so; until then its chunks still play.
    const folder = path.join(dataDir, "jobs", done);
    await vi.waitFor(() => expect(existsSync(folder)).toBe(false), { timeout: 10_000, interval: 50 });
    const finished = await liveAudio(done);
    expect(finished.status).toBe(409);
    expect((await errorOf(finished)).message).toMatch(/finished.*download/i);

    const failing = await speak("Hello.", { model: "kokoro", voice: "af_heart" });
    const failed = await liveAudio(failing);
    expect(failed.status).toBe(422);
    expect((await errorOf(failed)).message).toMatch(/kokoro.*not installed/i);
  });

  it("releases the job's folder as soon as the caller goes away, and the job runs on to the end", async () => {
    const long = Array.from({ length: 8 }, () => SENTENCES).join(" ");
    const id = await speak(long);
    const gone = new AbortController();
    const response = await liveAudio(id, ownerKey, gone.signal);
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    expect(files.held.get(id)).toBe(1);
    gone.abort();
    await reader?.cancel().catch(() => undefined);

    // Released while the job still runs, not when it ends (a stream nobody reads must not keep
    // the backend encoding into a full socket until then).
    await vi.waitFor(() => expect(files.held.get(id)).toBe(0), { timeout: 5_000, interval: 20 });
    expect((await jobs.get(ownerId, id)).status).toBe("running");
    // Not canceled: the studio's job belongs in the history whether or not anyone listens.
    expect((await settled(id)).status).toBe("succeeded");
    const folder = path.join(dataDir, "jobs", id);
    await vi.waitFor(() => expect(existsSync(folder)).toBe(false), { timeout: 10_000, interval: 100 });
  });

  it("leaves no encoder running when a listener who joined late goes away at once", async () => {
    const id = await speak(Array.from({ length: 8 }, () => SENTENCES).join(" "));
    // Join halfway: the chunks made so far are a backlog the stream sends all at once.
    await vi.waitFor(async () => expect((await jobs.get(ownerId, id)).progress).toBeGreaterThan(0.4), {
      timeout: 60_000,
      interval: 50,
    });
    const gone = new AbortController();
    const response = await liveAudio(id, ownerKey, gone.signal);
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    expect(encodersRunning()).toBeGreaterThan(0);
    gone.abort();
    await reader?.cancel().catch(() => undefined);
    // The backlog nobody reads fills the stream; a writer waiting on it must not keep an
    // encoder open (until the job ends, or for ever once nothing drains it).
    await vi.waitFor(() => expect(encodersRunning()).toBe(0), { timeout: 5_000, interval: 50 });
    expect((await jobs.get(ownerId, id)).status).toBe("running");
    expect((await settled(id)).status).toBe("succeeded");
    expect(encodersRunning()).toBe(0);
  });
});
