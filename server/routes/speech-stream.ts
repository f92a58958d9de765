/**
 * GET /internal/users/:userId/jobs/:id/audio?format=…: a speech job's audio, encoded on the fly
 * while the worker makes it. Headers go out with the first chunk, so a job that fails before
 * any audio is a plain error reply; a failure after that breaks the stream (never a short
 * "success"). With cancelOnDisconnect, the caller going away cancels the job.
 */
import { Readable } from "node:stream";
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import { ACTIVE_STATUSES, findOwnedJob } from "@/app/_server/db/queries/jobs";
import { ApiError, issuesFromZod } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { SPEECH_FORMATS } from "@/lib/schemas/speech";
import { createStreamEncoder, type StreamEncoder } from "@/server/audio/stream-encoder";
import { type JobRoutesDeps, jobParams, validateParams } from "@/server/routes/jobs";
import { changeWaiter, followSpeechStream, type SpeechStreamEvent } from "@/server/speech/speech-stream";
import { streamDir } from "@/server/speech/stream-chunks";

const audioQuerySchema = z.object({
  format: z.enum(SPEECH_FORMATS),
  cancelOnDisconnect: z.enum(["0", "1"]).default("0"),
});

/** Why a job gave no audio at all, as a refusal the person can read. */
function noAudio(status: string, error: string | null | undefined): ApiError {
  if (status === "failed") return new ApiError("unprocessable", "speech", error ?? "The speech job failed");
  if (status === "canceled") return new ApiError("conflict", "speech", "The speech job was canceled");
  // Its chunks went with its working folder; the whole file is in its result.
  if (status === "succeeded")
    return new ApiError("conflict", "speech", "The speech job has finished: download its audio file instead");
  return new ApiError("not_found", "job", "No such job");
}

export function speechStreamRoutes({ jobs, db, files, events }: JobRoutesDeps) {
  return new Hono().get(
    "/users/:userId/jobs/:id/audio",
    validateParams(jobParams),
    zValidator("query", audioQuerySchema, (result) => {
      if (!result.success)
        throw new ApiError(
          "bad_request",
          "query",
          "Invalid audio stream options",
          issuesFromZod(result.error.issues),
        );
    }),
    async (c) => {
      const { userId, id } = c.req.valid("param");
      const { format, cancelOnDisconnect } = c.req.valid("query");
      const job = await jobs.owned(userId, id);
      // The job exists and is the caller's (owned() said so): the wrong kind is a conflict, not a 404.
      if (job.kind !== "speech") throw new ApiError("conflict", "speech", "Only a speech job has live audio");

      const stop = new AbortController();
      const waiter = changeWaiter(LIMITS.jobs.EVENTS_POLL_MS);
      const unsubscribeEvents = events.subscribeWithProgress(id, waiter.notify);
      // The job's folder (its chunk files) stays until this stream has read them, even if the
      // job finishes and is cleaned up meanwhile.
      const release = files.hold(id);
      const unsubscribe = () => {
        unsubscribeEvents();
        void release();
      };
      let finished = false;
      let encoder: StreamEncoder | undefined;
      // The caller went away before the end: stop reading and, if asked, cancel the job.
      const disconnected = async () => {
        unsubscribe();
        if (finished || stop.signal.aborted) return;
        stop.abort();
        // Nobody reads the encoder now, so its pipes fill and a write waiting on them would wait
        // for ever (with ffmpeg alive): stopping the encoder ends that wait.
        encoder?.abort();
        const current = await findOwnedJob(db, { id, userId });
        if (cancelOnDisconnect === "1" && current && ACTIVE_STATUSES.includes(current.status))
          await jobs.cancel(id);
      };
      c.req.raw.signal.addEventListener("abort", () => void disconnected(), { once: true });

      const followed = followSpeechStream({
        dir: streamDir(files.dir(id)),
        status: async () => (await findOwnedJob(db, { id, userId }))?.status,
        waitForChange: waiter.wait,
        signal: stop.signal,
      });
      // Wait for audio (or the end) before answering, so an early failure is a proper error.
      let first: SpeechStreamEvent | undefined;
      try {
        first = (await followed.next()).value ?? undefined;
      } catch (error) {
        unsubscribe();
        throw error;
      }
      if (!first || first.type === "end") {
        unsubscribe();
        const ended = await findOwnedJob(db, { id, userId });
        throw noAudio(first?.status ?? "deleted", ended?.error);
      }
      if (first.type !== "format") throw new Error("a speech stream starts with its format");
      encoder = createStreamEncoder(format, first.format.sampleRate);
      const output = encoder.output;
      output.on("close", () => void disconnected());
      void pump(followed, encoder).then(
        () => {
          finished = true;
          unsubscribe();
        },
        (error: unknown) => {
          finished = true;
          unsubscribe();
          encoder?.abort();
          output.destroy(error instanceof Error ? error : new Error("speech stream failed"));
        },
      );
      return new Response(Readable.toWeb(output) as ReadableStream, {
        headers: { "Content-Type": encoder.contentType, "Cache-Control": "no-store" },
      });
    },
  );
}

/** Chunks into the encoder until the job ends; a job that ends without succeeding is an error. */
async function pump(followed: AsyncGenerator<SpeechStreamEvent>, encoder: StreamEncoder): Promise<void> {
  for await (const event of followed) {
    if (event.type === "chunk") await encoder.write(event.pcm);
    if (event.type === "end") {
      if (event.status !== "succeeded") throw new Error(`speech job ended ${event.status}`);
      encoder.end();
    }
  }
}
