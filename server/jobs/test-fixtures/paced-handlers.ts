/**
 * Job handlers with a steady pace, for the job service's tests: they run in real worker
 * processes, read the job's real input file and write a real result file, and log each
 * attempt (to options.logDir, else the job's folder) so a test can count how often a job ran;
 * the job's folder itself is gone once the job ends.
 */
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkerPayload } from "@/server/jobs/worker-payload";
import type { JobHandlers } from "@/server/workers/protocol";

export const handlers: JobHandlers = {
  async speech(raw, context) {
    const payload = raw as WorkerPayload;
    const logs = payload.options.logDir
      ? path.join(String(payload.options.logDir), path.basename(payload.dir))
      : payload.dir;
    await mkdir(logs, { recursive: true });
    await appendFile(path.join(logs, "attempts.log"), `${context.attempt}\n`);
    const text = await readFile(payload.input, "utf8");
    const steps = Number(payload.options.steps ?? 4);
    for (let step = 1; step <= steps; step++) {
      // As the real engines do between chunks: a canceled job stops here and keeps its worker.
      context.signal.throwIfAborted();
      await sleep(Number(payload.options.stepMs ?? 100));
      context.progress(step / steps, "speaking");
    }
    if (payload.options.crashOnAttempt === context.attempt) process.exit(9);
    const bytes = Buffer.from(text.toUpperCase());
    await writeFile(path.join(payload.dir, "speech.txt"), bytes);
    await appendFile(path.join(logs, "completions.log"), `${context.attempt}\n`);
    return { files: [{ name: "speech.txt", mime: "text/plain", bytes: bytes.byteLength }], engine: "paced" };
  },
};
