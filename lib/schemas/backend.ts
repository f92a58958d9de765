/** Wire shapes of the backend's replies: the backend builds them, backend-client parses them. */
import { z } from "zod";

/** `available`: the model's files are on disk; `missing`: run `npm run models`. */
export const backendModelStatusSchema = z.enum(["available", "missing"]);

export const backendHealthSchema = z.object({
  status: z.literal("ok"),
  service: z.literal("parla-backend"),
  version: z.string(),
  node: z.string(),
  uptimeSeconds: z.number().int().nonnegative(),
  models: z.array(z.object({ id: z.string(), status: backendModelStatusSchema })),
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
export type BackendHealth = z.infer<typeof backendHealthSchema>;
export type BackendPing = z.infer<typeof backendPingSchema>;
export type EchoSizeInput = z.infer<typeof echoSizeInputSchema>;
export type EchoSizeReply = z.infer<typeof echoSizeReplySchema>;
