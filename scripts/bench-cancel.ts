/**
 * `npm run bench:cancel`: what a canceled job costs the next one. A worker with warm models runs
 * a long job, which is canceled once it is under way; the bench times how soon the cancel
 * settles, how soon the next (short) job on the same pool is done, and how much of that is
 * delay (beyond the short job's own time on a warm worker). Two ways: the job is asked
 * to stop and keeps its worker (the product: LIMITS.workers.CANCEL_GRACE_MS), and the worker
 * is killed at once and respawned (what every cancel did before). Speech runs on the Kokoro
 * fixture, transcription on Silero VAD and the Whisper fixture, from MODEL_MIRROR_DIR. Prints
 * medians and the ratio, writes bench-results/cancel.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LIMITS } from "@/lib/limits";
import { PRODUCT_HANDLERS } from "@/server/jobs/test-fixtures/job-stack";
import { type PoolJob, WorkerPool } from "@/server/workers/pool";
import { installFromMirror } from "@/test/install-models";
import { repeatedRecording } from "@/test/repeated-recording";
import { median } from "./bench/median";

const RUNS = Number(process.env.BENCH_REPEAT ?? 5);
/** A grace no cancel message can beat: the worker is killed, as before. */
const KILL_AT_ONCE_MS = 0;

const dir = mkdtempSync(path.join(tmpdir(), "parla-bench-cancel-"));
await installFromMirror(path.join(dir, "models"), [
  "kokoro-signature-random",
  "kokoro-82m-v1.0-voices",
  "silero-vad",
  "whisper-tiny-random",
]);
const env = {
  ...process.env,
  DATA_DIR: dir,
  KOKORO_MODEL: "kokoro-signature-random",
  WHISPER_MODEL: "",
  AUTH_SECRET: "a".repeat(64),
  BACKEND_SECRET: "b".repeat(64),
  LOG_LEVEL: "error",
};

let jobs = 0;
function job(kind: "speech" | "transcription", input: { name: string; bytes: Uint8Array }): PoolJob {
  jobs += 1;
  const jobDir = path.join(dir, "jobs", String(jobs));
  mkdirSync(path.join(jobDir, "scratch"), { recursive: true });
  writeFileSync(path.join(jobDir, input.name), input.bytes);
  const options =
    kind === "speech"
      ? { voice: "af_heart", model: "kokoro", format: "mp3", speed: 1 }
      : { task: "transcribe", language: "en", temperature: 0, wordTimestamps: false };
  return {
    id: `bench-${jobs}`,
    kind,
    attempt: 1,
    payload: {
      dir: jobDir,
      scratch: path.join(jobDir, "scratch"),
      input: path.join(jobDir, input.name),
      options,
    },
  };
}

const text = (words: string) => ({ name: "input.txt", bytes: new TextEncoder().encode(words) });
const WORK = {
  speech: {
    long: () =>
      job("speech", text("This sentence is spoken again and again until the job is canceled. ".repeat(300))),
    short: () => job("speech", text("And the next person's sentence.")),
  },
  transcription: {
    long: () => job("transcription", { name: "input.wav", bytes: repeatedRecording(6) }),
    short: () => job("transcription", { name: "input.wav", bytes: repeatedRecording(1) }),
  },
} as const;

async function once(kind: keyof typeof WORK, graceMs: number) {
  const pool = new WorkerPool({ handlerModule: PRODUCT_HANDLERS, size: 1, env, cancelGraceMs: graceMs });
  try {
    await pool.run(WORK[kind].short()); // models loaded and warm
    const warmStarted = performance.now();
    await pool.run(WORK[kind].short());
    const warmMs = performance.now() - warmStarted;
    const controller = new AbortController();
    let canceledAt = 0;
    const long = pool.run(WORK[kind].long(), {
      signal: controller.signal,
      onProgress: (fraction) => {
        // Under way: past the decode for a recording, a few chunks in for speech.
        if (fraction > 0.1 && canceledAt === 0) {
          canceledAt = performance.now();
          controller.abort();
        }
      },
    });
    await long.catch(() => undefined);
    const settledMs = performance.now() - canceledAt;
    await pool.run(WORK[kind].short());
    const nextDoneMs = performance.now() - canceledAt;
    // What the cancel added to the next person's wait: beyond the time the job itself takes warm.
    return { settledMs, nextDoneMs, delayMs: nextDoneMs - warmMs, replaced: pool.replaced };
  } finally {
    await pool.close();
  }
}

const results = [];
for (const kind of ["speech", "transcription"] as const) {
  const modes = { asked: LIMITS.workers.CANCEL_GRACE_MS, killed: KILL_AT_ONCE_MS };
  const row: Record<string, unknown> = { kind };
  for (const [mode, graceMs] of Object.entries(modes)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(kind, graceMs));
    row[mode] = {
      settledMs: Math.round(median(runs.map((run) => run.settledMs))),
      nextDoneMs: Math.round(median(runs.map((run) => run.nextDoneMs))),
      delayMs: Math.round(median(runs.map((run) => run.delayMs))),
      workersReplaced: runs.reduce((sum, run) => sum + run.replaced, 0),
      runs: runs.length,
    };
  }
  const asked = row.asked as { nextDoneMs: number; delayMs: number };
  const killed = row.killed as { nextDoneMs: number; delayMs: number };
  row.nextJobSoonerBy = Math.round((killed.nextDoneMs / asked.nextDoneMs) * 10) / 10;
  results.push(row);
  console.log(
    `${kind}: the next job was done ${asked.nextDoneMs} ms after the cancel when the job was asked to stop ` +
      `(${asked.delayMs} ms beyond its own warm time), ${killed.nextDoneMs} ms when its worker was killed ` +
      `(${killed.delayMs} ms beyond): ${row.nextJobSoonerBy}x sooner`,
  );
}

mkdirSync("bench-results", { recursive: true });
writeFileSync(
  path.join("bench-results", "cancel.json"),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), runsEach: RUNS, results }, null, 2)}\n`,
);
rmSync(dir, { recursive: true, force: true });
