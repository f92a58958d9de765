/** Wire shapes of the backend's replies: the backend builds them, backend-client parses them. */
import { z } from "zod";

/** `available`: the model's files are on disk; `missing`: run `npm run models`. */
export const backendModelStatusSchema = z.enum(["available", "missing"]);

/**
 * The Whisper behind `whisper-1` (lib/node/whisper-choice.ts): its manifest id or folder name,
 * whether WHISPER_MODEL or the ranking picked it, and, when none can serve, what to run.
 */
export const backendWhisperSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("available"),
    model: z.string(),
    source: z.enum(["store", "folder"]),
    chosenBy: z.enum(["setting", "ranking"]),
  }),
  z.object({ status: z.literal("missing"), model: z.string().nullable(), message: z.string() }),
]);

/** A model a worker has loaded and warmed, and the execution provider really running it. */
export const workerEngineSchema = z.object({
  kind: z.enum(["speech", "transcription"]),
  engine: z.string().max(100),
  provider: z.string().max(40),
});

export const backendHealthSchema = z.object({
  status: z.literal("ok"),
  service: z.literal("parla-backend"),
  version: z.string(),
  node: z.string(),
  uptimeSeconds: z.number().int().nonnegative(),
  models: z.array(z.object({ id: z.string(), status: backendModelStatusSchema })),
  whisper: backendWhisperSchema,
  /** What the workers warmed at start, each with its execution provider (empty until one is ready). */
  engines: z.array(workerEngineSchema),
});

export const backendPingSchema = z.object({ ok: z.literal(true), time: z.iso.datetime() });

export const echoSizeInputSchema = z.object({ n: z.number() });

export const echoSizeReplySchema = z.object({ n: z.number(), bytes: z.number().int().nonnegative() });

/** The ApiError body every backend failure carries. */
export const backendErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** Set on a 429 from a daily quota: the quota's name (lib/quota/quota-meter.ts). */
    quota: z.string().max(64).optional(),
  }),
});

export type BackendModelStatus = z.infer<typeof backendModelStatusSchema>;
export type BackendWhisper = z.infer<typeof backendWhisperSchema>;
export type BackendHealth = z.infer<typeof backendHealthSchema>;
export type WorkerEngine = z.infer<typeof workerEngineSchema>;
export type BackendPing = z.infer<typeof backendPingSchema>;
export type EchoSizeInput = z.infer<typeof echoSizeInputSchema>;
export type EchoSizeReply = z.infer<typeof echoSizeReplySchema>;
