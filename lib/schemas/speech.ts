/** The speech request, as the OpenAI audio API shapes it; shared by the studio, the API and the backend. */
import { z } from "zod";
import { LIMITS } from "@/lib/limits";

export const SPEECH_FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const;

/** Voice and model fields name published ids only: never a path, a URL or a file name. */
const publishedId = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,47}$/, "must be a published id");

export const speechOptionsSchema = z.object({
  voice: publishedId.default("af_heart"),
  model: publishedId.default("kokoro"),
  format: z.enum(SPEECH_FORMATS).default("mp3"),
  speed: z.number().min(0.25).max(4).default(1),
});

export const speechJobRequestSchema = speechOptionsSchema.extend({
  kind: z.literal("speech"),
  input: z.string().min(1, "must not be empty").max(LIMITS.jobs.SPEECH_MAX_CHARS),
});

export type SpeechOptions = z.infer<typeof speechOptionsSchema>;
