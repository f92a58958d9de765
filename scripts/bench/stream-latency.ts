/**
 * Time to first audio on the streaming path, as the speech API pays it: a job is created, the
 * queue admits it, a worker process synthesises the first chunk and renames it into place, the
 * backend's audio route reads it and the encoder sends its first bytes. Runs the real backend
 * app in-process (signed requests, embedded queue, real worker processes, warm after one job).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { createUser } from "@/app/_server/db/queries/users";
import { loadConfig } from "@/lib/node/config";
import { openDatabase } from "@/lib/node/db/connect";
import { createNonce, nowInSeconds, signRequest } from "@/lib/security/request-signature";
import { createTestApp } from "@/server/app";
import { JobEvents } from "@/server/jobs/job-events";
import { JobFiles } from "@/server/jobs/job-files";
import { JobService } from "@/server/jobs/job-service";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import { LocalResultStore } from "@/server/storage/local-result-store";
import { WorkerPool } from "@/server/workers/pool";

const HANDLERS = fileURLToPath(new URL("../../server/workers/job-handlers.ts", import.meta.url));

export interface StreamLatencyRun {
  model: string;
  format: string;
  input: string;
  /** Request for the job → first encoded bytes out of the audio route. */
  firstAudioMs: number;
  /** Request for the job → last byte (the whole audio streamed). */
  totalMs: number;
}

export interface StreamLatencyOptions {
  modelsDir: string;
  cases: { model: string; voice: string; format: string; input: string; text: string }[];
}

export async function measureStreamLatency({
  modelsDir,
  cases,
}: StreamLatencyOptions): Promise<StreamLatencyRun[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parla-bench-stream-"));
  const secret = "b".repeat(64);
  const env = {
    DATA_DIR: dataDir,
    MODELS_DIR: modelsDir,
    KOKORO_MODEL: "kokoro-signature-random",
    AUTH_SECRET: "a".repeat(64),
    BACKEND_SECRET: secret,
    LOG_LEVEL: "silent",
  };
  const config = loadConfig(env);
  const db = await openDatabase(config.database, { migrate: true });
  const queue = new EmbeddedQueue(db, { pollIntervalMs: 25 });
  const pool = new WorkerPool({ handlerModule: HANDLERS, size: 1, env: { ...process.env, ...env } });
  const files = new JobFiles(path.join(dataDir, "jobs"));
  const results = new LocalResultStore(path.join(dataDir, "results"));
  const events = new JobEvents();
  const jobs = new JobService({ db, queue, pool, files, results, events, logger: pino({ level: "silent" }) });
  jobs.start({ concurrency: 1 });
  const app = createTestApp({ config, jobs: { jobs, db, files, results, events } });
  const userId = (await createUser(db, { email: `${randomUUID()}@example.com` })).id;

  const call = async (method: string, pathWithQuery: string, body?: unknown) => {
    const bytes = body === undefined ? "" : JSON.stringify(body);
    const signature = await signRequest({
      secret,
      method,
      pathWithQuery,
      body: bytes,
      timestampSeconds: nowInSeconds(),
      nonce: createNonce(),
    });
    return app.request(pathWithQuery, {
      method,
      ...(body === undefined ? {} : { body: bytes }),
      headers: { ...signature, "content-type": "application/json" },
    });
  };

  const once = async (spec: StreamLatencyOptions["cases"][number]): Promise<StreamLatencyRun> => {
    const started = performance.now();
    const created = await call("POST", `/internal/users/${userId}/jobs/speech`, {
      input: spec.text,
      options: { model: spec.model, voice: spec.voice, format: spec.format, speed: 1 },
    });
    const { id } = (await created.json()) as { id: string };
    const response = await call("GET", `/internal/users/${userId}/jobs/${id}/audio?format=${spec.format}`);
    const reader = response.body?.getReader();
    if (!response.ok || !reader) throw new Error(`audio route answered ${response.status}`);
    let firstAudioMs = -1;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      if (firstAudioMs < 0) firstAudioMs = performance.now() - started;
    }
    return {
      model: spec.model,
      format: spec.format,
      input: spec.input,
      firstAudioMs: Math.round(firstAudioMs),
      totalMs: Math.round(performance.now() - started),
    };
  };

  try {
    const runs: StreamLatencyRun[] = [];
    const warmed = new Set<string>();
    for (const spec of cases) {
      // The worker's first job of an engine loads the model: not what a running server pays.
      if (!warmed.has(spec.model)) await once({ ...spec, text: "Warm up." });
      warmed.add(spec.model);
      runs.push(await once(spec));
    }
    return runs;
  } finally {
    await jobs.stop();
    await pool.close();
    await queue.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
