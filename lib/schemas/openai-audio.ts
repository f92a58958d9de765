/**
 * The form fields of OpenAI's audio API (`POST /v1/audio/transcriptions` and `/translations`),
 * as the official clients send them. Every OpenAI Whisper name means the Whisper this server
 * runs (WHISPER_MODEL, else the best installed: lib/node/whisper-choice.ts): a client written for
 * OpenAI works unchanged.
 */
import { z } from "zod";
import { responseFormatSchema, timestampGranularitySchema } from "@/lib/transcript/formats";

/** whisper-1 (OpenAI's API name) and the public checkpoints, with or without the `openai/` prefix. */
export const WHISPER_MODEL_NAME =
  /^(whisper-1|(openai\/)?whisper-(tiny|base|small|medium|large)(\.en|-v[123])?(-turbo)?|(distil-whisper\/)?distil-(small\.en|medium\.en|large-v[23]))$/;

export const openAiAudioFormSchema = z.object({
  model: z
    .string({ error: "is required (whisper-1 or a Whisper model name)" })
    .regex(WHISPER_MODEL_NAME, "must be whisper-1 or a Whisper model name (this server runs Whisper only)"),
  response_format: responseFormatSchema.default("json"),
  timestamp_granularities: z.array(timestampGranularitySchema).max(2).default([]),
});

export type OpenAiAudioForm = z.infer<typeof openAiAudioFormSchema>;
