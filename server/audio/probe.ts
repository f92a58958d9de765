/**
 * ffprobe, for what must be known before decoding: is there an audio stream, is its sample rate
 * plausible, and is the declared duration within the tier (so a 10-hour file is refused in
 * milliseconds instead of being decoded first).
 */
import { z } from "zod";
import { AudioInputError } from "@/lib/audio/errors";
import { LIMITS } from "@/lib/limits";
import { runTool } from "@/server/audio/run-tool";
import { classifyToolFailure } from "@/server/audio/tool-failure";

export interface ProbeResult {
  codec: string;
  sampleRate: number;
  channels: number;
  /** Declared duration in seconds; null when the container does not say (live-recorded WebM). */
  durationSeconds: number | null;
}

// ffprobe writes numbers as strings and leaves out what it does not know.
const probeSchema = z.object({
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        sample_rate: z.string().optional(),
        channels: z.number().optional(),
        duration: z.string().optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional() }).optional(),
});

const MAX_PROBE_OUTPUT_BYTES = 1024 * 1024;

function seconds(value: string | undefined): number | null {
  const parsed = Number(value);
  return value !== undefined && Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}

export interface ProbeOptions {
  /** ffmpeg's demuxer name, from the sniffed container, so ffprobe never guesses the format. */
  demuxer: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function probeAudio(file: string, options: ProbeOptions): Promise<ProbeResult> {
  const args = [
    "-v",
    "error",
    "-protocol_whitelist",
    "file",
    "-f",
    options.demuxer,
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    "-select_streams",
    "a",
    file,
  ];
  const result = await runTool("ffprobe", args, {
    timeoutMs: options.timeoutMs ?? LIMITS.stt.PROBE_TIMEOUT_MS,
    maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES,
    signal: options.signal,
  });
  if (result.stopped === "abort") throw options.signal?.reason ?? new DOMException("Aborted", "AbortError");
  if (result.stopped === "timeout") {
    throw new AudioInputError(
      "decode_timeout",
      "Reading the file's headers took too long; the file may be damaged",
    );
  }
  if (result.code !== 0 || result.stopped) throw classifyToolFailure(result.stderr);

  let parsed: z.infer<typeof probeSchema>;
  try {
    parsed = probeSchema.parse(JSON.parse(result.stdout.toString("utf8")));
  } catch {
    throw new AudioInputError("corrupt", "The file's headers could not be read");
  }
  const stream = parsed.streams[0];
  if (!stream) throw new AudioInputError("no_audio", "The file has no audio track");
  const sampleRate = Number(stream.sample_rate ?? 0);
  const { MIN_SOURCE_SAMPLE_RATE, MAX_SOURCE_SAMPLE_RATE } = LIMITS.stt;
  if (!(sampleRate >= MIN_SOURCE_SAMPLE_RATE && sampleRate <= MAX_SOURCE_SAMPLE_RATE)) {
    throw new AudioInputError(
      "bad_sample_rate",
      `The audio track declares a sample rate of ${sampleRate} Hz; real recordings use ${MIN_SOURCE_SAMPLE_RATE}–${MAX_SOURCE_SAMPLE_RATE} Hz`,
    );
  }
  return {
    codec: stream.codec_name ?? "unknown",
    sampleRate,
    channels: stream.channels ?? 0,
    durationSeconds: seconds(stream.duration) ?? seconds(parsed.format?.duration),
  };
}
