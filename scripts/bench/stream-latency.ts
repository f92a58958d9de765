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
import { createUser } from "@/app/_server/db/queries/users";
import { PRODUCT_HANDLERS, startJobStack } from "@/server/jobs/test-fixtures/job-stack";

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
  /** KOKORO_MODEL for the workers: a manifest id (default: the signature fixture) or a folder. */
  kokoroModel?: string;
  cases: { model: string; voice: string; format: string; input: string; text: string }[];
}

export async function measureStreamLatency({
  modelsDir,
  kokoroModel = "kokoro-signature-random",
  cases,
}: StreamLatencyOptions): Promise<StreamLatencyRun[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parla-bench-stream-"));
  const env = {
    DATA_DIR: dataDir,
    MODELS_DIR: modelsDir,
    KOKORO_MODEL: kokoroModel,
    AUTH_SECRET: "a".repeat(64),
    BACKEND_SECRET: "b".repeat(64),
    LOG_LEVEL: "silent",
  };
  const stack = await startJobStack({
    settings: env,
    handlerModule: PRODUCT_HANDLERS,
  });
  const { call } = stack;
  const userId = (await createUser(stack.db, { email: `${randomUUID()}@example.com` })).id;

  const once = async (spec: StreamLatencyOptions["cases"][number]): Promise<StreamLatencyRun> => {
    const started = performance.now();
    const created = await call("POST", `/internal/users/${userId}/jobs/speech`, {
      body: {
        input: spec.text,
        options: { model: spec.model, voice: spec.voice, format: spec.format, speed: 1 },
      },
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
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
