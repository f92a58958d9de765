/**
 * A finished transcript, as the engine produces it and the database stores it. Times are seconds
 * from the start of the recording. Isomorphic: the studio page reads the same shape.
 */
import { z } from "zod";

export const transcriptTaskSchema = z.enum(["transcribe", "translate"]);

export const transcriptWordSchema = z.object({
  word: z.string(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
});

export const transcriptSegmentSchema = z.object({
  id: z.number().int().nonnegative(),
  /** Where the window this segment came from starts, in 10 ms frames (OpenAI's `seek`). */
  seek: z.number().int().nonnegative(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  /** As Whisper writes it, usually with a leading space. */
  text: z.string(),
  tokens: z.array(z.number().int()),
  temperature: z.number().nonnegative(),
  avgLogprob: z.number(),
  compressionRatio: z.number().nonnegative(),
  noSpeechProb: z.number().min(0).max(1),
});

export const transcriptSchema = z.object({
  task: transcriptTaskSchema,
  /** Whisper language code ("en"); formats write OpenAI's name ("english") where it expects one. */
  language: z.string(),
  durationSeconds: z.number().nonnegative(),
  text: z.string(),
  segments: z.array(transcriptSegmentSchema),
  /** Present when word timestamps were asked for. */
  words: z.array(transcriptWordSchema).optional(),
  /** How `words` were timed: aligned on the model's cross-attentions, or estimated from segment times. */
  wordTimestamps: z.enum(["aligned", "estimated"]).optional(),
});

export type TranscriptTask = z.infer<typeof transcriptTaskSchema>;
export type TranscriptWord = z.infer<typeof transcriptWordSchema>;
export type TranscriptSegment = z.infer<typeof transcriptSegmentSchema>;
export type Transcript = z.infer<typeof transcriptSchema>;
