/**
 * The product's job handlers, end to end below HTTP: real worker processes run a speech job on
 * the basic voice and a transcription job through decode → Silero VAD (real weights) → Whisper
 * (the random-weight fixture, so the words are noise: this proves the plumbing, not quality).
 * WHISPER_MODEL is unset, as on a fresh install: the worker runs the best Whisper in the store.
 */
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/app/_server/db/queries/users";
import type { JobView } from "@/lib/schemas/jobs";
import { type JobStack, PRODUCT_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";
import { settledJob } from "@/server/jobs/test-fixtures/settled-job";
import { installFromMirror } from "@/test/install-models";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { repeatedRecording } from "@/test/repeated-recording";

const WHISPER_FIXTURE = path.join(MODEL_MIRROR_DIR, "test", "whisper-tiny-random");
const dir = mkdtempSync(path.join(tmpdir(), "parla-handlers-"));
const env = {
  DATA_DIR: dir,
  // Unset, as on a fresh install: the worker picks the best Whisper installed in the store.
  WHISPER_MODEL: "",
  AUTH_SECRET: "a".repeat(64),
  BACKEND_SECRET: "b".repeat(64),
};
let stack: JobStack;
let userId: string;

beforeAll(async () => {
  cpSync(path.join(MODEL_MIRROR_DIR, "silero-vad"), path.join(dir, "models", "silero-vad"), {
    recursive: true,
  });
  await installFromMirror(path.join(dir, "models"), ["whisper-tiny-random"]);
  stack = await startJobStack({
    settings: env,
    handlerModule: PRODUCT_HANDLERS,
  });
  userId = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Where the local result store keeps a finished file. */
const stored = (id: string, name: string) => path.join(dir, "results", userId, id, name);

async function until(check: () => boolean, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const settled = (id: string): Promise<JobView> => settledJob(stack.jobs, userId, id, 90_000);

describe("job handlers in worker processes", () => {
  it("speaks a text with the basic voice into the asked format", async () => {
    const { id } = await stack.jobs.create({
      userId,
      kind: "speech",
      options: { voice: "alloy", model: "tts-1", format: "wav", speed: 1 },
      input: {
        name: "input.txt",
        bytes: new TextEncoder().encode("Parla speaks this sentence. And then this one."),
      },
    });
    const view = await settled(id);
    expect(view.status).toBe("succeeded");
    expect(view.engine).toBe("basic (espeak-ng)");
    const wav = readFileSync(stored(id, "speech.wav"));
    expect(wav.subarray(0, 4).toString("ascii")).toBe("RIFF");
    expect(view.result?.durationSeconds).toBeGreaterThan(1.5);
    expect(view.result?.files[0]).toMatchObject({
      name: "speech.wav",
      mime: "audio/wav",
      bytes: wav.byteLength,
    });
  });

  it("reports what the worker warmed at start, with each model's execution provider", async () => {
    // The speech test above started the worker; Kokoro is not installed here, so speech is basic.
    expect(stack.pool.engines).toEqual([
      { kind: "speech", engine: "basic", provider: "espeak-ng" },
      {
        kind: "transcription",
        engine: "whisper-tiny-random",
        provider: expect.stringMatching(/^(cuda|webgpu|cpu)$/),
      },
    ]);
  });

  it("refuses a text that fails the checks, naming the problem, without retrying", async () => {
    const { id } = await stack.jobs.create({
      userId,
      kind: "speech",
      options: { voice: "alloy", model: "tts-1", format: "mp3", speed: 1 },
      input: { name: "input.txt", bytes: new TextEncoder().encode("evil \u202e text") },
    });
    const view = await settled(id);
    expect(view.status).toBe("failed");
    expect(view.error).toMatch(/U\+202E/);
  });

  it("transcribes a recording into text, SRT, VTT and verbose JSON, and keeps the recording to play", async () => {
    const { id } = await stack.jobs.create({
      userId,
      kind: "transcription",
      options: { task: "transcribe", language: "en", temperature: 0, wordTimestamps: false },
      input: { name: "input.wav", bytes: readFileSync(path.join(WHISPER_FIXTURE, "jfk_16k.wav")) },
    });
    const view = await settled(id);
    expect(view.status, view.error ?? "").toBe("succeeded");
    expect(view.engine).toMatch(/^whisper-tiny-random \((cuda|webgpu|cpu)\)$/);
    expect(view.result?.language).toBe("en");
    expect(view.result?.durationSeconds).toBeCloseTo(11, 0);
    expect(view.result?.files.map((file) => file.name)).toEqual([
      "transcript.txt",
      "transcript.srt",
      "transcript.vtt",
      "transcript.json",
      "input.wav",
    ]);
    expect(readFileSync(stored(id, "transcript.vtt"), "utf8")).toMatch(/^WEBVTT/);
    expect(view.result?.files.at(-1)).toEqual({ name: "input.wav", mime: "audio/wav", bytes: 352_044 });
    await until(() => !existsSync(stack.files.dir(id)));
    // Random weights make every decode doubtful: the window climbs the whole fallback schedule.
  }, 120_000);

  it("a canceled speech or transcription job stops in its worker, which stays warm for the next job", {
    timeout: 120_000,
  }, async () => {
    const sentence = "Parla keeps speaking this sentence until somebody cancels the job. ";
    const jobs = [
      {
        kind: "speech" as const,
        options: { voice: "alloy", model: "tts-1", format: "mp3", speed: 1 },
        input: { name: "input.txt", bytes: new TextEncoder().encode(sentence.repeat(600)) },
      },
      {
        kind: "transcription" as const,
        options: { task: "transcribe", language: "en", temperature: 0, wordTimestamps: false },
        // Six times the 11 s recording: three Whisper windows, so the cancel lands mid-way.
        input: { name: "input.wav", bytes: repeatedRecording(6) },
      },
    ];
    for (const job of jobs) {
      const replacedBefore = stack.pool.replaced;
      const { id } = await stack.jobs.create({ userId, ...job });
      // Canceled mid-way: the speech job after its first chunks, the transcription once Whisper runs.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const view = await stack.jobs.get(userId, id);
        if (view.progress > 0.05 && view.status === "running") break;
        expect(["queued", "running"], job.kind).toContain(view.status);
        if (Date.now() > deadline) throw new Error(`${job.kind} never got going`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await stack.jobs.cancel(id);
      await until(() => !existsSync(stack.files.dir(id)), 10_000);
      expect((await settled(id)).status).toBe("canceled");
      expect(stack.pool.replaced, `${job.kind}: the worker was killed`).toBe(replacedBefore);
    }
    const { id } = await stack.jobs.create({
      userId,
      kind: "speech",
      options: { voice: "alloy", model: "tts-1", format: "wav", speed: 1 },
      input: { name: "input.txt", bytes: new TextEncoder().encode("And the worker speaks again.") },
    });
    expect((await settled(id)).status).toBe("succeeded");
  });

  it("fails a recording the decoder refuses at once, with the refusal's own code, leaving no scratch", async () => {
    const whole = readFileSync(path.join(WHISPER_FIXTURE, "jfk_16k.wav"));
    const { id } = await stack.jobs.create({
      userId,
      kind: "transcription",
      options: { task: "transcribe", language: "en", temperature: 0, wordTimestamps: false },
      // The header still declares 11 s: the decoder finds the file cut off.
      input: { name: "input.wav", bytes: whole.subarray(0, Math.floor(whole.length * 0.4)) },
    });
    const view = await settled(id);
    expect(view.status).toBe("failed");
    expect(view.errorCode).toBe("unprocessable:audio.truncated");
    expect(view.error).not.toMatch(/^\[/);
    expect(view.error).toMatch(/cut short/);
    expect(existsSync(stack.files.scratch(id))).toBe(false);
  });
});
