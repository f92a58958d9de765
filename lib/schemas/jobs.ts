/** Wire shapes of jobs, shared by the backend (which builds them) and the web app and UI (which parse them). */
import { z } from "zod";

export const JOB_KINDS = ["speech", "transcription"] as const;
export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "canceled"]);

export const jobIdSchema = z.uuid({ message: "must be a job id" });
export const jobKindSchema = z.enum(JOB_KINDS);
export const jobStatusSchema = z.enum(JOB_STATUSES);

export const jobFileSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  mime: z.string(),
  bytes: z.number().int().nonnegative(),
});

/** What a worker returns for a finished job; files are in the job's folder. */
export const jobResultSchema = z.object({
  files: z.array(jobFileSchema),
  durationSeconds: z.number().nonnegative().optional(),
  engine: z.string().optional(),
  /** A transcript's text, for the history and share pages. */
  text: z.string().optional(),
  language: z.string().optional(),
  /** How a transcript's word times were found: cross-attention alignment, or estimated from segment times. */
  wordTimestamps: z.enum(["aligned", "estimated"]).optional(),
});

export const shareViewSchema = z.object({
  id: z.uuid(),
  views: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export const jobViewSchema = z.object({
  id: jobIdSchema,
  kind: jobKindSchema,
  status: jobStatusSchema,
  progress: z.number().min(0).max(1),
  stage: z.string().nullable(),
  error: z.string().nullable(),
  /** Why a failed job was refused, as an ApiError code (`unprocessable:audio.corrupt`); null otherwise. */
  errorCode: z.string().nullable().default(null),
  /** 1-based place in line while queued. */
  position: z.number().int().positive().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  options: z.record(z.string(), z.unknown()),
  engine: z.string().nullable(),
  result: jobResultSchema.nullable(),
  inputBytes: z.number().int().nonnegative(),
  resultBytes: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime(),
  shares: z.array(shareViewSchema),
});

export const jobListSchema = z.object({ jobs: z.array(jobViewSchema) });
export const jobCreatedSchema = z.object({ id: jobIdSchema, status: z.literal("queued") });
export const shareCreatedSchema = z.object({
  url: z.string(),
  token: z.string(),
  expiresAt: z.iso.datetime().nullable(),
});
export const shareRequestSchema = z.object({
  /** Days until the link stops working; omitted: until revoked or the job expires. */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

/** What a share link shows a stranger: the result, never the owner or the settings. */
export const sharedResultSchema = z.object({
  kind: jobKindSchema,
  createdAt: z.iso.datetime(),
  result: jobResultSchema,
  views: z.number().int().nonnegative(),
});

/** One Server-Sent Event's data: the job as it is now, plus ETA. */
export const jobEventSchema = jobViewSchema;

export type JobKind = z.infer<typeof jobKindSchema>;
export type JobStatus = z.infer<typeof jobStatusSchema>;
export type JobView = z.infer<typeof jobViewSchema>;
export type JobResult = z.infer<typeof jobResultSchema>;
export type ShareView = z.infer<typeof shareViewSchema>;
