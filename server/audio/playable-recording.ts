/**
 * A recording as the transcript view plays it. Browsers' MediaRecorder writes WebM without cues
 * or a duration, and Chromium then seeks in it only approximately (a segment click could land
 * a third of a second early). Remuxing the audio track with ffmpeg (`-c copy`: no re-encoding,
 * a fraction of a second) writes the cues; any other container is played as uploaded.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { LIMITS } from "@/lib/limits";
import { runTool } from "@/server/audio/run-tool";

export const REMUXED_RECORDING = "recording.webm";

/** The file to list beside the transcript: the remuxed WebM when that worked, else the upload. */
export async function playableRecording(input: string, dir: string): Promise<string> {
  if (path.extname(input) !== ".webm") return input;
  const output = path.join(dir, REMUXED_RECORDING);
  const result = await runTool(
    "ffmpeg",
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-nostdin",
      "-y",
      "-i",
      input,
      "-map",
      "0:a:0",
      "-c",
      "copy",
      "-f",
      "webm",
      output,
    ],
    { timeoutMs: LIMITS.stt.DECODE_TIMEOUT_MS, maxStdoutBytes: 64 * 1024 },
  );
  const written = result.code === 0 ? await stat(output).catch(() => undefined) : undefined;
  return written?.isFile() && written.size > 0 ? output : input;
}
