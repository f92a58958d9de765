/**
 * Why an audio file was refused. Each reason is its own error code (`<type>:audio.<reason>`), so a
 * client can tell a truncated file from a too-long one without parsing the message, and the
 * message is always safe to show to the person who uploaded it.
 */
import { ApiError, type ErrorType } from "@/lib/errors";

export const AUDIO_PROBLEM_TYPES = {
  /** Zero bytes. */
  empty: "bad_request",
  /** Not a container we accept (by its magic bytes). */
  unsupported_format: "unsupported_media_type",
  /** An HTML/XML/text document, possibly behind an audio-looking prefix. */
  markup: "unsupported_media_type",
  /** Larger than the tier allows. */
  too_large: "payload_too_large",
  /** Longer than the tier allows. */
  too_long: "payload_too_large",
  /** Headers that declare sizes the file cannot have. */
  absurd_size: "unprocessable",
  /** An ID3 tag (often padding) larger than any real cover art. */
  tag_too_large: "unprocessable",
  /** The file ends before its headers or frames do. */
  truncated: "unprocessable",
  /** Headers or frames that do not parse. */
  corrupt: "unprocessable",
  /** A container with no audio stream (a silent video, an image). */
  no_audio: "unprocessable",
  /** A declared sample rate no real recording has. */
  bad_sample_rate: "unprocessable",
  /** The decoder took longer than its time limit. */
  decode_timeout: "unprocessable",
} as const satisfies Record<string, ErrorType>;

export type AudioProblem = keyof typeof AUDIO_PROBLEM_TYPES;

export class AudioInputError extends ApiError {
  constructor(
    readonly reason: AudioProblem,
    message: string,
  ) {
    super(AUDIO_PROBLEM_TYPES[reason], `audio.${reason}`, message);
    this.name = "AudioInputError";
  }
}

/** Human sizes for messages: "10 MB", "1.5 KB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}

/** Human durations for messages: "90 s", "2 min 5 s". */
export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
