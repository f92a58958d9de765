/** The job kinds a worker process runs (loaded by worker-process.ts inside each worker). */
import type { WorkerEngine } from "@/lib/schemas/backend";
import type { JobHandlers } from "@/server/workers/protocol";
import { runSpeechJob, warmUpSpeech } from "@/server/workers/speech-job";
import { runTranscriptionJob, warmUpTranscription } from "@/server/workers/transcription-job";

export const handlers: JobHandlers = {
  speech: runSpeechJob,
  transcription: runTranscriptionJob,
};

/**
 * At worker start: every kind's models loaded and warmed, one after the other (one core each).
 * A kind whose models cannot load is left out of the report, not the others: its jobs then fail
 * with their own message, as they would have without a warm-up.
 */
export async function warmUp(): Promise<WorkerEngine[]> {
  const reports: WorkerEngine[] = [];
  for (const [kind, warm] of [
    ["speech", warmUpSpeech],
    ["transcription", warmUpTranscription],
  ] as const) {
    try {
      reports.push(...(await warm()));
    } catch (error) {
      console.error(`worker: ${kind} warm-up failed (${error instanceof Error ? error.name : "unknown"})`);
    }
  }
  return reports;
}
