/**
 * A transcript in each of OpenAI's audio response formats (text, json, verbose_json, srt, vtt),
 * byte for byte as the OpenAI API and openai/whisper's writers lay them out, so existing
 * clients and subtitle players need no changes. Isomorphic: downloads in the studio use it too.
 */
import { z } from "zod";
import { WHISPER_LANGUAGES } from "@/lib/transcript/languages";
import type { Transcript, TranscriptSegment } from "@/lib/transcript/types";

export const responseFormatSchema = z.enum(["json", "text", "srt", "verbose_json", "vtt"]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

export const timestampGranularitySchema = z.enum(["segment", "word"]);
export type TimestampGranularity = z.infer<typeof timestampGranularitySchema>;

export const RESPONSE_CONTENT_TYPES: Record<ResponseFormat, string> = {
  json: "application/json",
  verbose_json: "application/json",
  text: "text/plain; charset=utf-8",
  srt: "application/x-subrip; charset=utf-8",
  vtt: "text/vtt; charset=utf-8",
};

export const RESPONSE_EXTENSIONS: Record<ResponseFormat, string> = {
  json: "json",
  verbose_json: "json",
  text: "txt",
  srt: "srt",
  vtt: "vtt",
};

/**
 * HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (VTT), rounded to the millisecond as openai/whisper does.
 * Hours are always written (OpenAI's VTT does; WebVTT allows it), and run past 99 if they must.
 */
export function formatTimestamp(seconds: number, separator: "," | "."): string {
  const total = Math.max(0, Math.round(seconds * 1000));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secs = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(hours)}:${two(minutes)}:${two(secs)}${separator}${String(millis).padStart(3, "0")}`;
}

/** One line of cue text: no line breaks (a blank line ends a cue) and no "-->" (it starts one). */
function cueText(text: string): string {
  return text
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim()
    .replaceAll("-->", "->");
}

function escapeVtt(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Segments worth a cue: subtitle players choke on empty cues. */
function cues(segments: readonly TranscriptSegment[]): TranscriptSegment[] {
  return segments.filter((segment) => cueText(segment.text).length > 0);
}

export function toSrt(transcript: Transcript): string {
  return cues(transcript.segments)
    .map(
      (segment, index) =>
        `${index + 1}\n${formatTimestamp(segment.start, ",")} --> ${formatTimestamp(segment.end, ",")}\n${cueText(segment.text)}\n\n`,
    )
    .join("");
}

export function toVtt(transcript: Transcript): string {
  const body = cues(transcript.segments)
    .map(
      (segment) =>
        `${formatTimestamp(segment.start, ".")} --> ${formatTimestamp(segment.end, ".")}\n${escapeVtt(cueText(segment.text))}\n\n`,
    )
    .join("");
  return `WEBVTT\n\n${body}`;
}

export interface VerboseJson {
  task: string;
  language: string;
  duration: number;
  text: string;
  segments?: {
    id: number;
    seek: number;
    start: number;
    end: number;
    text: string;
    tokens: number[];
    temperature: number;
    avg_logprob: number;
    compression_ratio: number;
    no_speech_prob: number;
  }[];
  words?: { word: string; start: number; end: number }[];
}

/** OpenAI's verbose_json: segments unless only word granularity was asked for; words when asked and known. */
export function toVerboseJson(
  transcript: Transcript,
  granularities: readonly TimestampGranularity[] = ["segment"],
): VerboseJson {
  const wantSegments = granularities.includes("segment") || !granularities.includes("word");
  return {
    task: transcript.task,
    language: WHISPER_LANGUAGES[transcript.language] ?? transcript.language,
    duration: transcript.durationSeconds,
    text: transcript.text,
    ...(wantSegments
      ? {
          segments: transcript.segments.map((segment) => ({
            id: segment.id,
            seek: segment.seek,
            start: segment.start,
            end: segment.end,
            text: segment.text,
            tokens: segment.tokens,
            temperature: segment.temperature,
            avg_logprob: segment.avgLogprob,
            compression_ratio: segment.compressionRatio,
            no_speech_prob: segment.noSpeechProb,
          })),
        }
      : {}),
    ...(granularities.includes("word") && transcript.words ? { words: transcript.words } : {}),
  };
}

/** The response body for `format`, as a string (JSON formats are serialised). */
export function formatTranscript(
  transcript: Transcript,
  format: ResponseFormat,
  granularities?: readonly TimestampGranularity[],
): string {
  switch (format) {
    case "text":
      return `${transcript.text}\n`;
    case "json":
      return JSON.stringify({ text: transcript.text });
    case "verbose_json":
      return JSON.stringify(toVerboseJson(transcript, granularities));
    case "srt":
      return toSrt(transcript);
    case "vtt":
      return toVtt(transcript);
  }
}
