/**
 * The verbose_json transcript file (transcript.json) as the browser reads it back for the
 * transcript view: only the fields the view uses, checked, since the file comes over the network.
 */
import { z } from "zod";

export const verboseJsonSegmentSchema = z.object({
  id: z.number().int().nonnegative(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
});

export const verboseJsonSchema = z.object({
  task: z.string(),
  language: z.string(),
  duration: z.number().nonnegative(),
  text: z.string(),
  segments: z.array(verboseJsonSegmentSchema).default([]),
  words: z.array(z.object({ word: z.string(), start: z.number(), end: z.number() })).optional(),
});

export type VerboseJsonSegment = z.infer<typeof verboseJsonSegmentSchema>;
export type VerboseJsonTranscript = z.infer<typeof verboseJsonSchema>;

/** The transcript files a transcription job leaves, in the order the view offers them. */
export const TRANSCRIPT_DOWNLOADS = [
  { name: "transcript.txt", label: "Text (.txt)" },
  { name: "transcript.srt", label: "Subtitles (.srt)" },
  { name: "transcript.vtt", label: "Subtitles (.vtt)" },
  { name: "transcript.json", label: "JSON with timestamps (.json)" },
] as const;

export const TRANSCRIPT_JSON_FILE = "transcript.json";
