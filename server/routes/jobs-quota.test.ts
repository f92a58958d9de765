/**
 * Daily quotas where they are charged: the backend's job creation, through the real app (signed
 * requests, real queue and worker, real ffprobe on made audio), with small injected quotas. A
 * transcription needs a Whisper: the store holds the fixture, and a second app an empty store.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, setTier } from "@/app/_server/db/queries/users";
import { createTestApp } from "@/server/app";
import { makeTone } from "@/server/audio/make-test-audio";
import { type JobStack, PACED_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { installFromMirror } from "@/test/install-models";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-quota-routes-"));
const settings = { DATA_DIR: dataDir, AUTH_SECRET: "x".repeat(64), BACKEND_SECRET: "s".repeat(64) };
let stack: JobStack;
/** The same stack with a models folder that holds no Whisper. */
let noWhisperApp: ReturnType<typeof createTestApp>;
let tone: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  stack = await startJobStack({
    settings,
    handlerModule: PACED_HANDLERS,
    quotas: { speech: { free: 30, pro: 100 }, transcription: { free: 5, pro: 50 } },
  });
  const { config, jobs, db, files, results, events, pool, quota } = stack;
  await installFromMirror(config.models.dir, ["whisper-tiny-random"]);
  const bare = { ...config, models: { ...config.models, dir: path.join(dataDir, "no-models") } };
  noWhisperApp = createTestApp({ config: bare, jobs: { jobs, db, files, results, events, pool, quota } });
  tone = new Uint8Array(readFileSync(await makeTone(dataDir, "tone.wav", 2)));
});

afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const speak = (userId: string, input: string) =>
  stack.call("POST", `/internal/users/${userId}/jobs/speech`, {
    body: { input, options: { voice: "af_heart", format: "wav" } },
  });
const transcribe = (userId: string, app?: ReturnType<typeof createTestApp>) =>
  stack.call(
    "POST",
    `/internal/users/${userId}/jobs/transcription?${new URLSearchParams({ options: "{}" })}`,
    { body: tone, ...(app ? { app } : {}) },
  );

const newUser = async () => (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;

describe("daily quotas at job creation", () => {
  it("charges speech by characters and refuses the job past the quota with 429, the headers and its name", async () => {
    const userId = await newUser();
    expect((await speak(userId, "a".repeat(20))).status).toBe(202);
    const refused = await speak(userId, "b".repeat(11));
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      error: { code: "rate_limited:quota", quota: "speech-characters-day" },
    });
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.headers.get("RateLimit-Policy")).toBe('"speech-characters-day";q=30;w=86400');
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("10");
    // What is left still fits exactly.
    expect((await speak(userId, "d".repeat(10))).status).toBe(202);

    // A pro account's quota is larger, and today's use carries over.
    await setTier(stack.db, { userId, tier: "pro" });
    expect((await speak(userId, "c".repeat(11))).status).toBe(202);
  });

  it("charges transcription by the seconds ffprobe reads, before the job is queued", async () => {
    const userId = await newUser();
    expect((await transcribe(userId)).status).toBe(202);
    expect((await transcribe(userId)).status).toBe(202);
    const refused = await transcribe(userId);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { quota: "transcription-seconds-day" } });
    expect(refused.headers.get("X-RateLimit-Remaining")).toBe("1");
    const rows = await stack.db.db.select().from(stack.db.tables.jobs);
    expect(rows.filter((row) => row.userId === userId)).toHaveLength(2);
  });
});

describe("job creation without a Whisper", () => {
  it("refuses a transcription with 503 naming the command, before charging the quota or queueing", async () => {
    const userId = await newUser();
    for (let attempt = 0; attempt < 4; attempt++) {
      const refused = await transcribe(userId, noWhisperApp);
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unavailable:whisper");
      expect(body.error.message).toContain(
        "No Whisper model is installed: run `npm run models -- whisper-base`",
      );
    }
    const rows = await stack.db.db.select().from(stack.db.tables.jobs);
    expect(rows.filter((row) => row.userId === userId)).toHaveLength(0);
    // Nothing was charged: the full quota (5 s, 2 s a job) is still there once a Whisper is.
    expect((await transcribe(userId)).status).toBe(202);
    expect((await transcribe(userId)).status).toBe(202);
    // Speech needs no Whisper.
    expect((await speak(userId, "hello")).status).toBe(202);
  });
});
