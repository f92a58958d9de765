/**
 * Turns ffmpeg/ffprobe's stderr into one of our typed refusals. The stderr itself is never shown
 * (it names temp paths and decoder internals); only which kind of failure it was.
 */
import { AudioInputError } from "@/lib/audio/errors";

const TRUNCATED = [
  /moov atom not found/i,
  /ended prematurely/i,
  /partial file/i,
  /truncat/i,
  /unexpected end/i,
];

export function classifyToolFailure(stderr: string): AudioInputError {
  if (TRUNCATED.some((pattern) => pattern.test(stderr))) {
    return new AudioInputError(
      "truncated",
      "The file is incomplete: it ends before its audio does (was the upload cut off?)",
    );
  }
  return new AudioInputError("corrupt", "The file is damaged: its audio could not be decoded");
}
