/**
 * `npm run soak [-- --minutes 60 --sample-seconds 5 --in-flight 2]`: speech jobs back to back
 * through the real backend (server/index.ts as a child process, its own worker processes, the
 * Kokoro pipeline on onnxruntime-node with the random-weight fixture) while the backend's and
 * every worker's resident memory is sampled from /proc. Each finished result is downloaded and
 * deleted, as a person would. Prints whether memory levels off and writes
 * bench-results/soak-jobs.json.
 *
 * "Levels off": the mean RSS of the last quarter is within LEVEL_OFF_GROWTH of the second
 * quarter's (the first quarter is warm-up: models load, V8 and the allocator find their size).
 * A least-squares slope over the second half is printed beside it, in MB per hour.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { backendRequest, backendStream } from "@/app/_server/backend-client";
import { createUser } from "@/app/_server/db/queries/users";
import { openDatabase } from "@/lib/node/db/connect";
import { jobCreatedSchema, TERMINAL_STATUSES } from "@/lib/schemas/jobs";
import { startBackendProcess, waitForJob } from "@/scripts/support/backend-process";
import { MODEL_MIRROR_DIR } from "@/test/mirror";
import { freePort } from "@/test/ports";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Last-quarter mean over second-quarter mean, above which memory is said to grow. */
const LEVEL_OFF_GROWTH = 0.05;
const MODELS = "silero-vad,kokoro-signature-random,kokoro-82m-v1.0-voices";
const USERS = 3;
const VOICES = ["af_heart", "af_bella", "am_adam", "bf_emma", "bm_george", "alloy", "nova", "onyx"];
const FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const;
const SENTENCES = [
  "The quick brown fox jumps over the lazy dog.",
  "Parla reads this paragraph aloud while the soak test watches its memory.",
  "On the third of March, 2026, at 10:45, the train left platform 9 for Edinburgh.",
  "Numbers like 3.14159, 42 and 1,000,000 are spoken as words.",
  "Is memory levelling off, or does it keep growing with every job?",
  "She sells sea shells by the sea shore; the shells she sells are surely sea shells.",
];
/** Text lengths in sentences: short replies, paragraphs, and a page now and then. */
const LENGTHS = [1, 2, 4, 8, 16, 32];

const { values: flags } = parseArgs({
  options: {
    minutes: { type: "string", default: "60" },
    "sample-seconds": { type: "string", default: "5" },
    "in-flight": { type: "string", default: "2" },
    out: { type: "string", default: path.join("bench-results", "soak-jobs.json") },
  },
});
const MINUTES = Number(flags.minutes);
const SAMPLE_MS = Number(flags["sample-seconds"]) * 1000;
const IN_FLIGHT = Number(flags["in-flight"]);
if (!(MINUTES > 0 && SAMPLE_MS > 0 && IN_FLIGHT >= 1)) {
  console.error("usage: npm run soak -- [--minutes N] [--sample-seconds N] [--in-flight N] [--out FILE]");
  process.exit(2);
}

interface Sample {
  /** Seconds since the soak began. */
  t: number;
  backendMb: number;
  workers: { pid: number; mb: number }[];
  workersMb: number;
  jobsDone: number;
}

interface Failure {
  t: number;
  status: string;
  error: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[], i: number): T => items[i % items.length] as T;

/** VmRSS of a process in MB, or undefined when it has gone. */
function rssMb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The worker processes the pool forked: direct children running worker-process.ts (not tsx's esbuild). */
function workersOf(parent: number): number[] {
  return childrenOf(parent).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("worker-process");
    } catch {
      return false;
    }
  });
}

/** Direct children of a process. */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
}

/** Least-squares slope of y over t (seconds), in units per hour. */
function slopePerHour(points: { t: number; y: number }[]): number {
  const mt = mean(points.map((p) => p.t));
  const my = mean(points.map((p) => p.y));
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 3600;
}

function analyse(samples: Sample[], series: (s: Sample) => number) {
  const n = samples.length;
  const quarter = (q: number) => samples.slice(Math.floor((q * n) / 4), Math.floor(((q + 1) * n) / 4));
  const q2 = mean(quarter(1).map(series));
  const q4 = mean(quarter(3).map(series));
  const secondHalf = samples.slice(Math.floor(n / 2)).map((s) => ({ t: s.t, y: series(s) }));
  const growth = q2 > 0 ? (q4 - q2) / q2 : 0;
  return {
    secondQuarterMeanMb: round(q2),
    lastQuarterMeanMb: round(q4),
    growth: round(growth, 4),
    secondHalfSlopeMbPerHour: round(slopePerHour(secondHalf)),
    maxMb: round(Math.max(...samples.map(series))),
    levelsOff: growth <= LEVEL_OFF_GROWTH,
  };
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

function installModels(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/models.ts"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`models exited ${code}`))));
  });
}

function jobText(i: number): string {
  const count = pick(LENGTHS, i * 7 + 3);
  return Array.from({ length: count }, (_, k) => pick(SENTENCES, i + k)).join(" ");
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parla-soak-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    BACKEND_HOST: "127.0.0.1",
    BACKEND_PORT: String(await freePort()),
    MODELS,
    MODEL_MIRROR_DIR,
    KOKORO_MODEL: "kokoro-signature-random",
    LOG_LEVEL: "warn",
  };
  // Dev secrets and the SQLite file in DATA_DIR, the embedded queue: nothing from the caller's setup.
  for (const key of [
    "BACKEND_URL",
    "BACKEND_SECRET",
    "AUTH_SECRET",
    "DATABASE_URL",
    "REDIS_URL",
    "MODELS_DIR",
  ])
    delete env[key];
  // The signing client reads its settings from this process's environment on first use (its own
  // logs quiet: the health polls while the backend starts are expected to fail).
  process.env = { ...env, LOG_LEVEL: "fatal" };

  let backend: ChildProcess | undefined;
  const cleanup = () => {
    backend?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });

  console.log(`soak: installing ${MODELS} from ${MODEL_MIRROR_DIR}…`);
  await installModels(env);
  const db = await openDatabase({ kind: "sqlite", path: path.join(dataDir, "parla.db") }, { migrate: true });
  const users = await Promise.all(
    Array.from({ length: USERS }, (_, i) => createUser(db, { email: `soak-${i}@example.com` })),
  );
  await db.close();
  backend = await startBackendProcess({ env, stdio: ["ignore", "ignore", "inherit"] });
  const backendPid = backend.pid as number;
  console.log(`soak: backend pid ${backendPid}; ${MINUTES} min, ${IN_FLIGHT} job(s) in flight`);

  const started = Date.now();
  const endAt = started + MINUTES * 60_000;
  const samples: Sample[] = [];
  const failures: Failure[] = [];
  const workerPids = new Set<number>();
  let jobsDone = 0;
  let jobsSubmitted = 0;
  let audioSeconds = 0;
  let refusals = 0;
  const elapsed = () => round((Date.now() - started) / 1000);

  const sampler = setInterval(() => {
    const backendMb = rssMb(backendPid);
    if (backendMb === undefined) return;
    const workers = workersOf(backendPid)
      .map((pid) => ({ pid, mb: rssMb(pid) }))
      .filter((w): w is { pid: number; mb: number } => w.mb !== undefined)
      .map((w) => ({ pid: w.pid, mb: round(w.mb) }));
    for (const w of workers) workerPids.add(w.pid);
    samples.push({
      t: elapsed(),
      backendMb: round(backendMb),
      workers,
      workersMb: round(workers.reduce((sum, w) => sum + w.mb, 0)),
      jobsDone,
    });
  }, SAMPLE_MS);

  const reporter = setInterval(() => {
    const last = samples.at(-1);
    console.log(
      `soak: ${Math.round(elapsed() / 60)} min, ${jobsDone} jobs, ${failures.length} failed, backend ${last?.backendMb} MB, workers ${last?.workersMb} MB`,
    );
  }, 60_000);

  async function lane(laneIndex: number) {
    while (Date.now() < endAt) {
      const i = jobsSubmitted++;
      const user = pick(users, i + laneIndex);
      const format = pick(FORMATS, i);
      let id: string;
      try {
        ({ id } = await backendRequest({
          method: "POST",
          path: `/internal/users/${user.id}/jobs/speech`,
          body: {
            input: jobText(i),
            options: { voice: pick(VOICES, i * 3 + 1), model: "tts-1", format, speed: 0.8 + (i % 5) * 0.1 },
          },
          schema: jobCreatedSchema,
        }));
      } catch {
        refusals++;
        await sleep(1000);
        continue;
      }
      const view = await waitForJob(user.id, id, (view) => TERMINAL_STATUSES.has(view.status), {
        pollMs: 250,
      });
      if (view.status === "succeeded" && view.result?.files[0]) {
        const file = view.result.files[0];
        const response = await backendStream({
          method: "GET",
          path: `/internal/users/${user.id}/jobs/${id}/files/${file.name}`,
        });
        const bytes = (await response.arrayBuffer()).byteLength;
        if (bytes !== file.bytes)
          failures.push({ t: elapsed(), status: "short-read", error: `${bytes}/${file.bytes}` });
        jobsDone++;
        audioSeconds += view.result.durationSeconds ?? 0;
      } else {
        failures.push({ t: elapsed(), status: view.status, error: view.error });
      }
      await backendRequest({
        method: "DELETE",
        path: `/internal/users/${user.id}/jobs/${id}`,
        schema: z.object({ id: z.string(), outcome: z.string() }),
      });
    }
  }

  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, lane_) => lane(lane_)));
  clearInterval(sampler);
  clearInterval(reporter);

  const backendVerdict = analyse(samples, (s) => s.backendMb);
  const workersVerdict = analyse(samples, (s) => s.workersMb);
  const result = {
    at: new Date().toISOString(),
    settings: {
      minutes: MINUTES,
      sampleSeconds: SAMPLE_MS / 1000,
      inFlight: IN_FLIGHT,
      users: USERS,
      kokoroModel: "kokoro-signature-random",
      levelOffGrowth: LEVEL_OFF_GROWTH,
    },
    jobsSubmitted,
    jobsDone,
    refusals,
    audioSeconds: round(audioSeconds),
    jobsPerMinute: round(jobsDone / MINUTES, 2),
    failures,
    workerPidsSeen: [...workerPids],
    backend: backendVerdict,
    workers: workersVerdict,
    levelsOff: backendVerdict.levelsOff && workersVerdict.levelsOff,
    samples,
  };
  mkdirSync(path.dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);

  console.table({ backend: backendVerdict, workers: workersVerdict });
  console.log(
    `soak: ${jobsDone} jobs done (${round(audioSeconds / 60)} min of audio), ${failures.length} failed, ${refusals} refused, ${workerPids.size} worker pid(s) seen`,
  );
  console.log(
    `soak: memory ${result.levelsOff ? "levels off" : "GROWS"} (the threshold: last-quarter mean within ${LEVEL_OFF_GROWTH * 100}% of the second quarter's; short runs may still be warming up)`,
  );
  console.log(`Wrote ${flags.out}`);
  cleanup();
  process.exit(0);
}

await main();
