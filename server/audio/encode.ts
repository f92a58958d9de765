/**
 * PCM → the OpenAI speech API's formats. wav and pcm are written here, and mp3 by LAME in
 * WebAssembly (server/audio/mp3-encoder.ts) at the rates it takes; opus (in Ogg), aac (ADTS),
 * flac and resampled output come from Debian's ffmpeg, fed s16le on stdin and read from stdout
 * (no temp files, no shell), under a time limit. A failure is an EncodeError naming the format.
 */
import { LIMITS } from "@/lib/limits";
import { encodeMp3, lameTakesRate } from "@/server/audio/mp3-encoder";
import { PipeToolError, pipeTool } from "@/server/audio/pipe-tool";
import { encodeWav16, floatToS16le, type PcmAudio } from "@/server/audio/wav";

export const AUDIO_FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export const CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: "audio/mpeg",
  opus: "audio/ogg; codecs=opus",
  aac: "audio/aac",
  flac: "audio/flac",
  wav: "audio/wav",
  pcm: "audio/pcm",
};

/** ffmpeg output arguments per format. Opus runs at 48 kHz, the rate every Opus decoder uses. */
const FFMPEG_OUTPUT: Record<Exclude<AudioFormat, "wav">, string[]> = {
  mp3: ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"],
  opus: ["-c:a", "libopus", "-b:a", "64k", "-ar", "48000", "-f", "ogg"],
  aac: ["-c:a", "aac", "-b:a", "128k", "-f", "adts"],
  flac: ["-c:a", "flac", "-f", "flac"],
  pcm: ["-c:a", "pcm_s16le", "-f", "s16le"],
};

export class EncodeError extends Error {
  constructor(
    readonly format: AudioFormat,
    readonly reason: PipeToolError["reason"],
    message: string,
  ) {
    super(message);
    this.name = "EncodeError";
  }
}

export interface EncodeOptions {
  /** Resample to this rate (for example 24 kHz raw PCM, as OpenAI's API sends); default: the input's. */
  sampleRate?: number;
  signal?: AbortSignal;
}

export interface EncodedAudio {
  bytes: Buffer;
  contentType: string;
}

export async function encodeAudio(
  audio: PcmAudio,
  format: AudioFormat,
  options: EncodeOptions = {},
): Promise<EncodedAudio> {
  const resample = options.sampleRate !== undefined && options.sampleRate !== audio.sampleRate;
  const contentType = CONTENT_TYPES[format];
  if (format === "wav" && !resample) return { bytes: encodeWav16(audio), contentType };
  if (format === "pcm" && !resample) return { bytes: floatToS16le(audio.samples), contentType };
  if (format === "mp3" && !resample && lameTakesRate(audio.sampleRate)) {
    try {
      return { bytes: await encodeMp3(audio.samples, audio.sampleRate, options.signal), contentType };
    } catch (error) {
      if (options.signal?.aborted)
        throw new EncodeError(format, "aborted", "Could not encode mp3: cancelled");
      throw error;
    }
  }

  const output = format === "wav" ? ["-c:a", "pcm_s16le", "-f", "wav"] : FFMPEG_OUTPUT[format];
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    "-f",
    "s16le",
    "-ar",
    String(audio.sampleRate),
    "-ac",
    "1",
    "-i",
    "pipe:0",
    ...(resample ? ["-ar", String(options.sampleRate)] : []),
    ...output,
    "pipe:1",
  ];
  try {
    const bytes = await pipeTool("ffmpeg", args, {
      input: floatToS16le(audio.samples),
      timeoutMs: LIMITS.tts.ENCODE_TIMEOUT_MS,
      maxOutputBytes: LIMITS.tts.MAX_TOOL_OUTPUT_BYTES,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (format === "flac" && !resample) setFlacTotalSamples(bytes, audio.samples.length);
    return { bytes, contentType };
  } catch (error) {
    if (error instanceof PipeToolError) {
      throw new EncodeError(format, error.reason, `Could not encode ${format}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * ffmpeg cannot seek back on a pipe, so a piped FLAC says "total samples unknown" and players
 * show no duration. The count is known here: write it into STREAMINFO (36 bits at byte 21.4).
 */
export function setFlacTotalSamples(bytes: Buffer, total: number): void {
  if (bytes.length < 26 || bytes.toString("ascii", 0, 4) !== "fLaC" || (bytes[4] ?? 0) & 0x7f) return;
  const field = bytes.readBigUInt64BE(18);
  const mask = (1n << 36n) - 1n;
  bytes.writeBigUInt64BE((field & ~mask) | (BigInt(total) & mask), 18);
}
