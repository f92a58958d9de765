/**
 * The speech request, as the OpenAI audio API shapes it; the same schema runs in the studio,
 * the web app's handlers and the backend. Voice and model accept published ids only, never a
 * path, URL or file name, and the text passes every check before any model sees it.
 */
import { z } from "zod";
import { LIMITS } from "@/lib/limits";
import { textIssuesToErrorIssues, validateText } from "@/lib/text/validate-text";
import { modelIdSchema } from "@/lib/tts/models";
import { speechVoiceSchema } from "@/lib/tts/voices";

export const SPEECH_FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const;

export const speechOptionsSchema = z.object({
  voice: speechVoiceSchema.default("af_heart"),
  // "tts-1" means the best engine installed, so a fresh install speaks with the basic voice.
  model: modelIdSchema.default("tts-1"),
  format: z.enum(SPEECH_FORMATS).default("mp3"),
  speed: z.number().min(LIMITS.tts.SPEED_MIN).max(LIMITS.tts.SPEED_MAX).default(1),
});

/** The text of a speech job: every issue names its position and character (lib/text/validate-text). */
export const speechInputSchema = z.string().superRefine((text, ctx) => {
  const check = validateText(text, { tier: "free" });
  if (check.ok) return;
  for (const issue of textIssuesToErrorIssues(check.issues))
    ctx.addIssue({ code: "custom", message: issue.message });
});

export const speechJobRequestSchema = speechOptionsSchema.extend({
  kind: z.literal("speech"),
  input: speechInputSchema,
});

export type SpeechOptions = z.infer<typeof speechOptionsSchema>;
