/** Transcription job settings, as the OpenAI audio API names them; shared by the studio, the API and the backend. */
import { z } from "zod";
import { transcriptTaskSchema } from "@/lib/transcript/types";

export const transcriptionOptionsSchema = z.object({
  task: transcriptTaskSchema.default("transcribe"),
  /** A language code or English name; detected when absent. */
  language: z
    .string()
    .regex(/^[a-z][a-z ]{1,23}$/i, "must be a language code or name")
    .optional(),
  prompt: z.string().max(1000).optional(),
  temperature: z.number().min(0).max(1).default(0),
  wordTimestamps: z.boolean().default(false),
});

export type TranscriptionOptions = z.infer<typeof transcriptionOptionsSchema>;

/** The extension a sniffed container is stored under; never the uploader's file name. */
export const CONTAINER_EXTENSIONS = {
  wav: "wav",
  mp3: "mp3",
  aac: "aac",
  mp4: "m4a",
  ogg: "ogg",
  webm: "webm",
  flac: "flac",
} as const;

/** The MIME type a kept recording is served with, by its stored extension (the sniffed container). */
export const RECORDING_MIME_TYPES: Record<
  (typeof CONTAINER_EXTENSIONS)[keyof typeof CONTAINER_EXTENSIONS],
  string
> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  aac: "audio/aac",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  webm: "audio/webm",
  flac: "audio/flac",
};
