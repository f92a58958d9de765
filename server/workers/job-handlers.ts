/** The job kinds a worker process runs (loaded by worker-process.ts inside each worker). */
import type { WorkerEngine } from "@/lib/schemas/backend";
import type { JobHandlers } from "@/server/workers/protocol";
import { runSpeechJob, warmUpSpeech } from "@/server/workers/speech-job";
import { runTranscriptionJob, warmUpTranscription } from "@/server/workers/transcription-job";

export const handlers: JobHandlers = {
  speech: runSpeechJob,
  transcription: runTranscriptionJob,
};

/** At worker start: every kind's models loaded and warmed, one after the other (one core each). */
export async function warmUp(): Promise<WorkerEngine[]> {
  return [...(await warmUpSpeech()), ...(await warmUpTranscription())];
}
