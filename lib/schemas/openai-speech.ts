/**
 * POST /v1/audio/speech, as OpenAI's audio API shapes it: `model`, `input`, `voice`
 * (a published id, `{ "id": … }`, or a blend of two Kokoro voices), `response_format`, `speed`,
 * `stream_format` (audio | sse) and `instructions` (accepted and ignored: no engine here takes
 * spoken instructions). The text, voice and model checks are speech.ts's own.
 */
import { z } from "zod";
import { LIMITS } from "@/lib/limits";
import { SPEECH_FORMATS, speechInputSchema } from "@/lib/schemas/speech";
import { modelIdSchema } from "@/lib/tts/models";
import { speechVoiceSchema } from "@/lib/tts/voices";

export const SPEECH_STREAM_FORMATS = ["audio", "sse"] as const;

export const openAiSpeechRequestSchema = z.object({
  model: modelIdSchema,
  input: speechInputSchema.pipe(z.string().min(1, { error: "must not be empty" })),
  // OpenAI's clients may send a custom voice as an object; only its id is read.
  voice: z.union([speechVoiceSchema, z.object({ id: speechVoiceSchema }).transform((voice) => voice.id)], {
    error: "must be a published voice id, or two Kokoro voices blended as af_bella(0.7)+af_sky(0.3)",
  }),
  response_format: z
    .enum(SPEECH_FORMATS, { error: `must be one of ${SPEECH_FORMATS.join(", ")}` })
    .default("mp3"),
  speed: z
    .number({ error: "must be a number" })
    .min(LIMITS.tts.SPEED_MIN, { error: `must be at least ${LIMITS.tts.SPEED_MIN}` })
    .max(LIMITS.tts.SPEED_MAX, { error: `must be at most ${LIMITS.tts.SPEED_MAX}` })
    .default(1),
  stream_format: z.enum(SPEECH_STREAM_FORMATS, { error: "must be audio or sse" }).default("audio"),
  instructions: z.string().max(LIMITS.tts.INSTRUCTIONS_MAX_CHARS).optional(),
});

export type OpenAiSpeechRequest = z.infer<typeof openAiSpeechRequestSchema>;

/** `stream_format: "sse"` events (OpenAI's SpeechAudioDeltaEvent / SpeechAudioDoneEvent). */
export interface SpeechAudioDeltaEvent {
  type: "speech.audio.delta";
  /** A piece of the audio in the requested response_format, base64. */
  audio: string;
}
export interface SpeechAudioDoneEvent {
  type: "speech.audio.done";
  /** input_tokens = characters of input; output_tokens = 20 ms frames of audio (see README). */
  usage: { input_tokens: number; output_tokens: number; total_tokens: number };
}
export interface SpeechErrorEvent {
  type: "error";
  error: { message: string; type: string; code: string };
}
