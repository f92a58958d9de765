/**
 * Encodes audio while it is still being made: mono s16le chunks in, the OpenAI speech API's
 * formats out, each encoded byte handed on as soon as it exists. wav (a header that says
 * "length unknown", as streamed WAVs do) and 24 kHz pcm are written here, mp3 by LAME in
 * WebAssembly (no process to start before the first byte); Opus in Ogg, AAC in ADTS, flac and
 * mp3 at rates LAME does not take come from ONE ffmpeg process per stream reading stdin (argv,
 * no shell).
 */
import { spawn } from "node:child_process";
import { PassThrough, type Readable, type Writable } from "node:stream";
import { type AudioFormat, CONTENT_TYPES, EncodeError } from "@/server/audio/encode";
import { lameTakesRate, openMp3Encoder } from "@/server/audio/mp3-encoder";

/** OpenAI's raw `pcm` is 24 kHz s16le mono; other rates are resampled to it. */
export const PCM_STREAM_RATE_HZ = 24_000;

/** A RIFF size of 0xFFFFFFFF means "until the stream ends" to ffmpeg, sox and browsers. */
const UNKNOWN_SIZE = 0xffff_ffff;

export function streamingWavHeader(sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(UNKNOWN_SIZE, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(UNKNOWN_SIZE, 40);
  return header;
}

/** ffmpeg output arguments; -flush_packets 1 writes each encoded packet at once. */
const FFMPEG_STREAM_OUTPUT: Record<Exclude<AudioFormat, "wav">, string[]> = {
  mp3: ["-c:a", "libmp3lame", "-b:a", "128k", "-f", "mp3"],
  opus: ["-c:a", "libopus", "-b:a", "64k", "-ar", "48000", "-page_duration", "100000", "-f", "ogg"],
  aac: ["-c:a", "aac", "-b:a", "128k", "-f", "adts"],
  flac: ["-c:a", "flac", "-f", "flac"],
  pcm: ["-ar", String(PCM_STREAM_RATE_HZ), "-c:a", "pcm_s16le", "-f", "s16le"],
};

export interface StreamEncoder {
  readonly contentType: string;
  /** Encoded bytes in order; ends when the input has ended and is encoded, errors on failure. */
  readonly output: Readable;
  /** Waits while the encoder is busy (backpressure), so a slow client slows reading, not memory. */
  write(pcm: Buffer): Promise<void>;
  end(): void;
  /** Stops at once (the client went away); the output is destroyed. */
  abort(): void;
}

/** Resolves when the stream takes more, or is closed (so a dead consumer never hangs a writer). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

function jsEncoder(format: AudioFormat, first?: Buffer): StreamEncoder {
  const output = new PassThrough();
  if (first) output.write(first);
  return {
    contentType: CONTENT_TYPES[format],
    output,
    async write(pcm) {
      if (!output.destroyed && !output.write(pcm)) await drained(output);
    },
    end: () => output.end(),
    abort: () => output.destroy(),
  };
}

/** s16le → floats; a byte left over (a sample split between writes) waits for the next write. */
function s16Reader(): (pcm: Buffer) => Float32Array {
  let carry: Buffer | undefined;
  return (pcm) => {
    const bytes = carry ? Buffer.concat([carry, pcm]) : pcm;
    const whole = bytes.length & ~1;
    carry = whole < bytes.length ? bytes.subarray(whole) : undefined;
    const samples = new Float32Array(whole >> 1);
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(2 * i) / 0x8000;
    return samples;
  };
}

/** MP3 frames written to the output as each PCM chunk is encoded, with the output's backpressure. */
function lameStreamEncoder(sampleRate: number): StreamEncoder {
  const output = new PassThrough();
  const encoder = openMp3Encoder(sampleRate);
  const toFloat = s16Reader();
  const fail = (error: unknown) =>
    output.destroy(new EncodeError("mp3", "exit", `Could not encode mp3: ${(error as Error).message}`));
  // Writes and the end run in order: each waits for the previous one's encoder call.
  let queue: Promise<unknown> = encoder.catch(fail);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    void encoder.then(
      (lame) => lame.release(),
      () => undefined,
    );
  };
  return {
    contentType: CONTENT_TYPES.mp3,
    output,
    write(pcm) {
      const step = queue.then(async () => {
        if (output.destroyed || released) return;
        const frames = (await encoder).encode(toFloat(pcm));
        if (frames.length > 0 && !output.write(frames)) await drained(output);
      });
      queue = step.catch(fail);
      return queue.then(() => undefined);
    },
    end() {
      queue = queue
        .then(async () => {
          if (output.destroyed || released) return;
          const last = (await encoder).finish();
          released = true;
          output.end(last);
        })
        .catch(fail);
    },
    abort() {
      release();
      output.destroy();
    },
  };
}

function ffmpegEncoder(format: Exclude<AudioFormat, "wav">, sampleRate: number): StreamEncoder {
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-f",
    "s16le",
    "-ar",
    String(sampleRate),
    "-ac",
    "1",
    "-i",
    "pipe:0",
    ...FFMPEG_STREAM_OUTPUT[format],
    "-flush_packets",
    "1",
    "pipe:1",
  ];
  const child = spawn("ffmpeg", args, { stdio: ["pipe", "pipe", "ignore"], shell: false });
  const output = new PassThrough();
  let aborted = false;
  const fail = (message: string) =>
    output.destroy(new EncodeError(format, "exit", `Could not encode ${format}: ${message}`));
  child.stdout.pipe(output, { end: false });
  child.on("error", (error: NodeJS.ErrnoException) => fail(`ffmpeg could not be started (${error.code})`));
  child.on("close", (code) => {
    if (aborted) return;
    if (code === 0) output.end();
    else fail(`ffmpeg failed (exit ${code ?? "killed"})`);
  });
  // A write after ffmpeg died raises EPIPE here; the close handler reports the failure.
  child.stdin.on("error", () => undefined);
  return {
    contentType: CONTENT_TYPES[format],
    output,
    async write(pcm) {
      if (child.stdin.destroyed) return;
      if (!child.stdin.write(pcm)) await drained(child.stdin);
    },
    end: () => child.stdin.end(),
    abort() {
      aborted = true;
      child.kill("SIGKILL");
      // A write waiting for stdin to drain resolves on its close (see drained).
      child.stdin.destroy();
      output.destroy();
    },
  };
}

export function createStreamEncoder(format: AudioFormat, sampleRate: number): StreamEncoder {
  if (format === "wav") return jsEncoder(format, streamingWavHeader(sampleRate));
  if (format === "pcm" && sampleRate === PCM_STREAM_RATE_HZ) return jsEncoder(format);
  if (format === "mp3" && lameTakesRate(sampleRate)) return lameStreamEncoder(sampleRate);
  return ffmpegEncoder(format, sampleRate);
}
