/** What a worker receives for a job: where its files are, and its settings (parsed again in the worker). */
import { z } from "zod";

export const workerPayloadSchema = z.object({
  dir: z.string(),
  scratch: z.string(),
  input: z.string(),
  options: z.record(z.string(), z.unknown()),
});

export type WorkerPayload = z.infer<typeof workerPayloadSchema>;
