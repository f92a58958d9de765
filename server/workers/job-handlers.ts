/** The job kinds a worker process runs (loaded by worker-process.ts inside each worker). */
import type { JobHandlers } from "@/server/workers/protocol";
import { runSpeechJob } from "@/server/workers/speech-job";
import { runTranscriptionJob } from "@/server/workers/transcription-job";

export const handlers: JobHandlers = {
  speech: runSpeechJob,
  transcription: runTranscriptionJob,
};
