/**
 * The real backend as its own process, for the crash and S3 suites and the soak run: started
 * directly with node (no npx wrapper, so a signal reaches the backend itself and its children
 * are the workers), ready once its signed /health answers; and a job followed over the
 * backend's own signed routes until a condition holds.
 */
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import path from "node:path";
import { backendRequest } from "@/app/_server/backend-client";
import { backendHealthSchema } from "@/lib/schemas/backend";
import { type JobView, jobViewSchema } from "@/lib/schemas/jobs";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startBackendProcess({
  env = { ...process.env, LOG_LEVEL: "warn" },
  stdio = ["ignore", "ignore", "ignore"],
  readyWithinMs = 60_000,
}: {
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
  readyWithinMs?: number;
} = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { cwd: ROOT, env, stdio });
  const deadline = Date.now() + readyWithinMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const up = await backendRequest({
      method: "GET",
      path: "/health",
      schema: backendHealthSchema,
      timeoutMs: 1000,
    })
      .then(() => true)
      .catch(() => false);
    if (up) return child;
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error("backend did not start");
}

export function readJob(userId: string, id: string): Promise<JobView> {
  return backendRequest({
    method: "GET",
    path: `/internal/users/${userId}/jobs/${id}`,
    schema: jobViewSchema,
  });
}

/** Polls the job until `done` holds; read errors (a backend restarting) are retried until the deadline. */
export async function waitForJob(
  userId: string,
  id: string,
  done: (view: JobView) => boolean,
  { timeoutMs = Number.POSITIVE_INFINITY, pollMs = 100 }: { timeoutMs?: number; pollMs?: number } = {},
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await readJob(userId, id).catch(() => undefined);
    if (view && done(view)) return view;
    if (Date.now() > deadline) throw new Error(`job did not get there: ${view?.status ?? "unreadable"}`);
    await sleep(pollMs);
  }
}
