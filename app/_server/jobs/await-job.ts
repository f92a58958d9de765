/**
 * Waits for a job by following its Server-Sent Events, for routes that answer with the result
 * (the OpenAI-compatible ones). Past `maxWaitMs` it gives up with a 504 that names the job (it
 * keeps running and shows in the history); if the caller hangs up, the job is canceled, since
 * nobody is left to read it.
 */
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { ApiError, ERROR_STATUS, type ErrorType } from "@/lib/errors";
import { type JobView, jobEventSchema, TERMINAL_STATUSES } from "@/lib/schemas/jobs";

export interface AwaitJobOptions {
  userId: string;
  jobId: string;
  maxWaitMs: number;
  /** The caller's request signal: aborted when the client disconnects. */
  signal: AbortSignal;
}

/** Each `data:` payload of a `job` event in an SSE byte stream. */
async function* jobEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<JobView> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split("\n");
      const event =
        lines
          .find((line) => line.startsWith("event:"))
          ?.slice(6)
          .trim() ?? "message";
      const data = lines
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (event === "deleted") throw new ApiError("not_found", "job", "The job was deleted while running");
      if (event === "job") yield jobEventSchema.parse(JSON.parse(data));
    }
  }
}

/** A failed job as the refusal it was: its own 4xx for bad input, else a generic 500. */
export function jobFailure(job: JobView): ApiError {
  const [type, surface] = (job.errorCode ?? "").split(":");
  if (type && surface && type in ERROR_STATUS && ERROR_STATUS[type as ErrorType] < 500) {
    return new ApiError(type as ErrorType, surface, job.error ?? "The input was refused");
  }
  if (job.status === "canceled") return new ApiError("conflict", "job", "The job was canceled");
  return new ApiError("internal", "job", job.error ?? "The job failed while processing");
}

export async function awaitJob({ userId, jobId, maxWaitMs, signal }: AwaitJobOptions): Promise<JobView> {
  const deadline = AbortSignal.timeout(maxWaitMs);
  const stop = AbortSignal.any([signal, deadline]);
  let last: JobView | undefined;
  try {
    // A stream can end early (a backend restart): read the job again and follow it anew.
    while (!stop.aborted) {
      const stream = await backendJobs.events(userId, jobId, stop);
      if (!stream.body)
        throw new ApiError("unavailable", "backend", "The job's progress could not be followed");
      for await (const job of jobEvents(stream.body)) {
        last = job;
        if (TERMINAL_STATUSES.has(job.status)) return job;
      }
    }
  } catch (error) {
    if (!stop.aborted) throw error;
  }
  if (signal.aborted) {
    if (!last || !TERMINAL_STATUSES.has(last.status)) {
      await backendJobs.remove(userId, jobId).catch(() => undefined);
    }
    throw new ApiError("bad_request", "job", "The client went away; the job was canceled");
  }
  throw new ApiError(
    "timeout",
    "job",
    `The transcription did not finish within ${Math.round(maxWaitMs / 1000)} s; it goes on as job ${jobId} (GET /api/jobs/${jobId})`,
  );
}
