/**
 * Any accepted upload → 16 kHz mono Float32 samples, with Debian's ffmpeg in a child process.
 *
 * Order of checks, cheapest first: size against the tier, magic bytes (lib/audio/sniff), then
 * ffprobe (audio stream, sample rate, declared duration), then the decode itself under a hard
 * time limit and an output cap of exactly the tier's seconds of samples, so a file that lies
 * about its duration is stopped as soon as it runs past the limit. The input sits in a per-job
 * temp dir that is removed whatever happens. Every refusal is an AudioInputError (4xx).
 */
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AudioInputError, formatSeconds } from "@/lib/audio/errors";
import { type AudioLimits, checkAudioDuration, checkAudioSize } from "@/lib/audio/limits";
import { type AudioContainer, SNIFF_HEAD_BYTES, type SniffedAudio, sniffAudio } from "@/lib/audio/sniff";
import { LIMITS } from "@/lib/limits";
import { type ProbeResult, probeAudio } from "@/server/audio/probe";
import { runTool } from "@/server/audio/run-tool";
import { classifyToolFailure } from "@/server/audio/tool-failure";

export const DECODE_SAMPLE_RATE = LIMITS.stt.SAMPLE_RATE;
const BYTES_PER_SAMPLE = 4;

/** ffmpeg demuxer per sniffed container: ffmpeg is told the format, never left to guess it. */
export const DEMUXER: Record<AudioContainer, string> = {
  wav: "wav",
  mp3: "mp3",
  aac: "aac",
  mp4: "mov",
  ogg: "ogg",
  webm: "matroska",
  flac: "flac",
};

/** Decoded audio shorter than this share of the declared duration means the file was cut off. */
const MIN_DECODED_SHARE = 0.9;

export interface DecodeOptions {
  limits: AudioLimits;
  signal?: AbortSignal;
  /** Where per-job temp dirs are made (default: the OS temp dir). */
  tempRoot?: string;
  /** Overrides LIMITS.stt.DECODE_TIMEOUT_MS (tests use a tiny one). */
  timeoutMs?: number;
}

export interface DecodedAudio {
  /** 16 kHz mono, float32 in [-1, 1]. */
  samples: Float32Array;
  sampleRate: typeof DECODE_SAMPLE_RATE;
  durationSeconds: number;
  container: SniffedAudio;
  source: ProbeResult;
}

export type AudioInput = Uint8Array | { path: string };

function aborted(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException("Aborted", "AbortError");
}

async function readHead(file: string): Promise<{ head: Uint8Array; size: number }> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, SNIFF_HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    return { head, size };
  } finally {
    await handle.close();
  }
}

function toFloat32(bytes: Buffer): Float32Array {
  const count = Math.floor(bytes.length / BYTES_PER_SAMPLE);
  // Copy into a fresh, aligned buffer: Buffer slices may start at any byte offset.
  const samples = new Float32Array(count);
  new Uint8Array(samples.buffer).set(bytes.subarray(0, count * BYTES_PER_SAMPLE));
  return samples;
}

async function decodeFile(
  file: string,
  container: SniffedAudio,
  options: DecodeOptions,
): Promise<DecodedAudio> {
  const demuxer = DEMUXER[container.container];
  const source = await probeAudio(file, { demuxer, signal: options.signal });
  if (source.durationSeconds !== null) checkAudioDuration(source.durationSeconds, options.limits);

  const maxBytes = options.limits.maxSeconds * DECODE_SAMPLE_RATE * BYTES_PER_SAMPLE;
  // -map 0:a:0 takes the first audio track of a video; -vn/-sn/-dn skip everything else.
  const args = [
    "-nostdin",
    "-hide_banner",
    "-v",
    "error",
    "-protocol_whitelist",
    "file",
    "-f",
    demuxer,
    "-i",
    file,
    "-map",
    "0:a:0",
    "-vn",
    "-sn",
    "-dn",
    "-ac",
    "1",
    "-ar",
    String(DECODE_SAMPLE_RATE),
    "-c:a",
    "pcm_f32le",
    "-f",
    "f32le",
    "pipe:1",
  ];
  const timeoutMs = options.timeoutMs ?? LIMITS.stt.DECODE_TIMEOUT_MS;
  const result = await runTool("ffmpeg", args, {
    timeoutMs,
    maxStdoutBytes: maxBytes,
    signal: options.signal,
  });
  if (result.stopped === "abort") throw aborted(options.signal);
  if (result.stopped === "timeout") {
    throw new AudioInputError(
      "decode_timeout",
      `Decoding took longer than ${formatSeconds(timeoutMs / 1000)}; the file may be damaged`,
    );
  }
  if (result.stopped === "output_limit") {
    throw new AudioInputError(
      "too_long",
      `The recording is longer than the limit of ${formatSeconds(options.limits.maxSeconds)}`,
    );
  }
  if (result.code !== 0) throw classifyToolFailure(result.stderr);

  const samples = toFloat32(result.stdout);
  const durationSeconds = samples.length / DECODE_SAMPLE_RATE;
  if (samples.length === 0)
    throw new AudioInputError("corrupt", "The file holds no audio that could be decoded");
  const declared = source.durationSeconds;
  if (declared !== null && declared >= 1 && durationSeconds < declared * MIN_DECODED_SHARE) {
    if (looksDamaged(result.stderr)) {
      throw new AudioInputError("corrupt", "The file is damaged: much of its audio could not be decoded");
    }
    throw new AudioInputError(
      "truncated",
      `The file is cut short: it declares ${formatSeconds(declared)} of audio but only ${formatSeconds(durationSeconds)} could be decoded`,
    );
  }
  return { samples, sampleRate: DECODE_SAMPLE_RATE, durationSeconds, container, source };
}

/**
 * Decodes an upload held in memory (written to a private temp dir first) or a file already on
 * disk (read in place; the caller owns it).
 */
/**
 * Damage inside a file versus a file cut off: a cut file fails once, on its last partial frame;
 * damaged frames fail again and again, and a mangled container names tracks it never declared.
 */
function looksDamaged(stderr: string): boolean {
  if (/Invalid track number/i.test(stderr)) return true;
  return (stderr.match(/Error while decoding|Header missing/gi)?.length ?? 0) >= 2;
}

export async function decodeAudio(input: AudioInput, options: DecodeOptions): Promise<DecodedAudio> {
  if (options.signal?.aborted) throw aborted(options.signal);
  const { head, size } =
    input instanceof Uint8Array
      ? { head: input.subarray(0, SNIFF_HEAD_BYTES), size: input.length }
      : await readHead(input.path);
  checkAudioSize(size, options.limits);
  const sniffed = sniffAudio(head, size);
  if (!sniffed.ok) throw new AudioInputError(sniffed.reason, sniffed.message);
  if (!(input instanceof Uint8Array)) return decodeFile(input.path, sniffed.audio, options);

  const dir = await mkdtemp(path.join(options.tempRoot ?? tmpdir(), "parla-decode-"));
  try {
    const file = path.join(dir, "input");
    await writeFile(file, input, { mode: 0o600 });
    return await decodeFile(file, sniffed.audio, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
