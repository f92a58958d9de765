/**
 * Jobs on the backend, for the web app only (signed). The person is named in the signed path,
 * so a caller can never act for someone else without the backend secret.
 */
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { findOwnedJob } from "@/app/_server/db/queries/jobs";
import { createShare, openShare, revokeShare } from "@/app/_server/db/queries/shares";
import { findUserById } from "@/app/_server/db/queries/users";
import { AudioInputError } from "@/lib/audio/errors";
import { audioLimitsFor, checkAudioSize } from "@/lib/audio/limits";
import { SNIFF_HEAD_BYTES, sniffAudio } from "@/lib/audio/sniff";
import { ApiError, issuesFromZod } from "@/lib/errors";
import { contentRange, parseByteRange } from "@/lib/http/byte-range";
import { LIMITS } from "@/lib/limits";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import type { WhisperResolution } from "@/lib/node/whisper-choice";
import { type QuotaKind, QuotaMeter } from "@/lib/quota/quota-meter";
import { RateLimiter } from "@/lib/rate-limit/limiter";
import { MemoryStore } from "@/lib/rate-limit/memory-store";
import type { WorkerEngine } from "@/lib/schemas/backend";
import { jobIdSchema, jobResultSchema, shareRequestSchema, TERMINAL_STATUSES } from "@/lib/schemas/jobs";
import { speechInputSchema, speechOptionsSchema } from "@/lib/schemas/speech";
import { CONTAINER_EXTENSIONS, transcriptionOptionsSchema } from "@/lib/schemas/transcription";
import { chargeableSeconds } from "@/server/audio/upload-seconds";
import type { JobEvents } from "@/server/jobs/job-events";
import type { JobFiles } from "@/server/jobs/job-files";
import type { JobService } from "@/server/jobs/job-service";
import { validateJson } from "@/server/middleware/validate-json";
import type { ResultStore } from "@/server/storage/result-store";

const userParams = z.object({ userId: z.uuid() });
export const jobParams = userParams.extend({ id: jobIdSchema });
const fileParams = jobParams.extend({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/) });

export function validateParams<T extends z.ZodType>(schema: T) {
  return zValidator("param", schema, (result) => {
    if (!result.success) {
      throw new ApiError("not_found", "route", "No such resource", issuesFromZod(result.error.issues));
    }
  });
}

export interface JobRoutesDeps {
  jobs: JobService;
  db: DatabaseHandle;
  results: ResultStore;
  /** Jobs' working folders (a speech job's audio chunks are streamed from there). */
  files: JobFiles;
  events: JobEvents;
  /**
   * The worker pool, for the admin page's busy count and /health's warmed engines (absent in
   * tests that run jobs without one).
   */
  pool?: { readonly busy: number; readonly engines: readonly WorkerEngine[] };
  /** Daily quotas per tier; defaults to counting in this process's memory. */
  quota?: QuotaMeter;
  /** The Whisper that would run a transcription now (createApp asks the settings). */
  whisper?: () => Promise<WhisperResolution>;
}

/**
 * A finished job's result file, streamed from the store; only files the result lists can be
 * read. A single `Range` is served as 206 (players seek by asking ranges); any other as 200.
 */
async function sendResultFile(
  results: ResultStore,
  job: { id: string; userId: string; result: unknown },
  name: string,
  rangeHeader: string | undefined,
) {
  const result = jobResultSchema.safeParse(job.result);
  const file = result.success ? result.data.files.find((entry) => entry.name === name) : undefined;
  const range = file && parseByteRange(rangeHeader, file.bytes);
  const stored = file && (await results.get({ userId: job.userId, jobId: job.id }, name, range));
  if (!file || !stored) throw new ApiError("not_found", "file", "No such file");
  const headers = {
    "Content-Type": file.mime,
    "Content-Length": String(stored.bytes),
    "Accept-Ranges": "bytes",
  };
  if (!stored.range) return new Response(stored.body, { headers });
  return new Response(stored.body, {
    status: 206,
    headers: { ...headers, "Content-Range": contentRange(stored.range, stored.size) },
  });
}

const transcriptionQuerySchema = z.object({
  ext: z.string().max(8).optional(),
  options: z
    .string()
    .max(4000)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(transcriptionOptionsSchema),
});

const speechJobBodySchema = z.object({
  input: speechInputSchema,
  options: speechOptionsSchema,
});

export function jobRoutes({ jobs, db, results, events, quota, whisper }: JobRoutesDeps) {
  const meter = quota ?? new QuotaMeter(new RateLimiter({ store: new MemoryStore() }));

  /** A server without a Whisper refuses at once (503, saying what to install), not from a worker. */
  async function requireWhisper(): Promise<void> {
    const resolution = await whisper?.();
    if (resolution && !resolution.ok) throw new ApiError("unavailable", "whisper", resolution.message);
  }

  /**
   * Backpressure first (a refused job must not spend quota), then the day's quota for the
   * person's tier, read from the database here so a tier change applies to the next job.
   */
  async function admitAndCharge(userId: string, kind: QuotaKind, units: number): Promise<void> {
    await jobs.admit(userId);
    const user = await findUserById(db, { id: userId });
    if (!user) throw new ApiError("not_found", "user", "No such account");
    await meter.charge({ userId, tier: user.tier, kind, units });
  }

  return new Hono()
    .post(
      "/users/:userId/jobs/speech",
      validateParams(userParams),
      validateJson(speechJobBodySchema),
      async (c) => {
        const { userId } = c.req.valid("param");
        const { input, options } = c.req.valid("json");
        const characters = [...input].length;
        await admitAndCharge(userId, "speech", characters);
        const created = await jobs.create({
          userId,
          kind: "speech",
          options: { ...options, characters },
          input: { name: "input.txt", bytes: new TextEncoder().encode(input) },
        });
        return c.json(created, 202);
      },
    )
    .post(
      "/users/:userId/jobs/transcription",
      validateParams(userParams),
      zValidator("query", transcriptionQuerySchema, (result) => {
        if (!result.success) {
          throw new ApiError(
            "bad_request",
            "query",
            "Invalid transcription options",
            issuesFromZod(result.error.issues),
          );
        }
      }),
      async (c) => {
        const { userId } = c.req.valid("param");
        const { options } = c.req.valid("query");
        await requireWhisper();
        // Served from the body cache filled by service-auth: the same bytes that were signed.
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const limits = audioLimitsFor("free");
        checkAudioSize(bytes.byteLength, limits);
        const sniffed = sniffAudio(bytes.subarray(0, SNIFF_HEAD_BYTES), bytes.byteLength);
        if (!sniffed.ok) throw new AudioInputError(sniffed.reason, sniffed.message);
        const extension = CONTAINER_EXTENSIONS[sniffed.audio.container];
        const seconds = await chargeableSeconds(bytes, sniffed.audio.container, limits);
        await admitAndCharge(userId, "transcription", seconds);
        const created = await jobs.create({
          userId,
          kind: "transcription",
          options: { ...options, container: sniffed.audio.container },
          input: { name: `input.${extension}`, bytes },
        });
        return c.json(created, 202);
      },
    )
    .get("/users/:userId/jobs", validateParams(userParams), async (c) => {
      return c.json({ jobs: await jobs.list(c.req.valid("param").userId) });
    })
    .get("/users/:userId/jobs/:id", validateParams(jobParams), async (c) => {
      const { userId, id } = c.req.valid("param");
      return c.json(await jobs.get(userId, id));
    })
    .delete("/users/:userId/jobs/:id", validateParams(jobParams), async (c) => {
      const { userId, id } = c.req.valid("param");
      return c.json({ id, outcome: await jobs.cancelOrDelete(userId, id) });
    })
    .delete("/users/:userId/data", validateParams(userParams), async (c) => {
      return c.json({ deletedJobs: await jobs.deleteAllOf(c.req.valid("param").userId) });
    })
    .get("/users/:userId/jobs/:id/files/:name", validateParams(fileParams), async (c) => {
      const { userId, id, name } = c.req.valid("param");
      return sendResultFile(results, await jobs.owned(userId, id), name, c.req.header("range"));
    })
    .get("/users/:userId/jobs/:id/events", validateParams(jobParams), async (c) => {
      const { userId, id } = c.req.valid("param");
      await jobs.owned(userId, id);
      return streamSSE(c, async (stream) => {
        let wake: (() => void) | undefined;
        const unsubscribeJob = events.subscribe(id, () => wake?.());
        // While it waits, a job's place in line changes when any job ahead starts or leaves.
        const unsubscribeLine = events.subscribeLine(() => wake?.());
        const unsubscribe = () => {
          unsubscribeJob();
          unsubscribeLine();
        };
        stream.onAbort(unsubscribe);
        try {
          let last = "";
          for (;;) {
            const job = await findOwnedJob(db, { id, userId });
            if (!job) {
              await stream.writeSSE({ event: "deleted", data: JSON.stringify({ id }) });
              return;
            }
            const view = await jobs.view(job);
            const data = JSON.stringify(view);
            if (data !== last) {
              await stream.writeSSE({ event: "job", data });
              last = data;
            }
            if (TERMINAL_STATUSES.has(view.status) || stream.aborted) return;
            // Wake on an in-process change, or poll for jobs that another backend runs.
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, LIMITS.jobs.EVENTS_POLL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
        } finally {
          unsubscribe();
        }
      });
    })
    .post(
      "/users/:userId/jobs/:id/shares",
      validateParams(jobParams),
      validateJson(shareRequestSchema),
      async (c) => {
        const { userId, id } = c.req.valid("param");
        const job = await jobs.owned(userId, id);
        if (job.status !== "succeeded") {
          throw new ApiError("conflict", "share", "Only a finished job can be shared");
        }
        const { expiresInDays } = c.req.valid("json");
        const requested = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
        // A link never outlives the result it points to.
        const expiresAt = requested && requested < job.expiresAt ? requested : job.expiresAt;
        const { token } = await createShare(db, { jobId: id, userId, expiresAt });
        return c.json({ url: `/r/${token}`, token, expiresAt: expiresAt.toISOString() }, 201);
      },
    )
    .delete(
      "/users/:userId/shares/:token",
      validateParams(userParams.extend({ token: z.string().max(100) })),
      async (c) => {
        const { userId, token } = c.req.valid("param");
        if (!(await revokeShare(db, { userId, token })))
          throw new ApiError("not_found", "share", "No such link");
        return c.json({ revoked: true });
      },
    )
    .get("/shares/:token", validateParams(z.object({ token: z.string().max(100) })), async (c) => {
      const share = await openShare(db, c.req.valid("param").token, { countView: true });
      const job = share && (await jobs.owned(share.userId, share.jobId).catch(() => undefined));
      if (!share || !job || job.status !== "succeeded")
        throw new ApiError("not_found", "share", "No such link");
      const result = jobResultSchema.parse(job.result);
      // What a stranger with the link may see: the result, never the owner or the settings.
      return c.json({ kind: job.kind, createdAt: job.createdAt.toISOString(), result, views: share.views });
    })
    .get(
      "/shares/:token/files/:name",
      validateParams(z.object({ token: z.string().max(100), name: fileParams.shape.name })),
      async (c) => {
        const { token, name } = c.req.valid("param");
        const share = await openShare(db, token, { countView: false });
        const job = share && (await jobs.owned(share.userId, share.jobId).catch(() => undefined));
        if (!share || !job) throw new ApiError("not_found", "share", "No such link");
        return sendResultFile(results, job, name, c.req.header("range"));
      },
    );
}
