/**
 * MP3 inside the process: LAME compiled to WebAssembly (wasm-media-encoders). Through ffmpeg a
 * sentence's MP3 cost 0.3–0.5 s here, nearly all of it starting the process (it loads every
 * codec library), which made the encoder most of a short request's overhead; LAME itself
 * encodes 3 s of 24 kHz speech in a few tens of milliseconds. Same encoder family as ffmpeg's
 * libmp3lame, same 128 kbit/s CBR.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { createMp3Encoder, type WasmMediaEncoder } from "wasm-media-encoders";

/** The input rates LAME takes without resampling; any other rate goes to ffmpeg. */
const LAME_RATES = new Set([8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]);
const BITRATE_KBPS = 128;
/**
 * Samples per encode call: one second at 24 kHz. A whole result is encoded slice by slice with
 * a turn of the event loop between slices, so a ten-minute file (about 2.5 s of LAME on this
 * machine) never blocks the process for more than a few milliseconds at a time.
 */
const SLICE_SAMPLES = 24_000;
/** Idle encoders kept for reuse: each is a WASM instance that took ~70 ms to compile. */
const POOL_MAX = 4;

type LameInstance = WasmMediaEncoder<"audio/mpeg">;
const idle: LameInstance[] = [];
let inUse = 0;

/** Encoders opened and not yet finished or released: a stream whose listener left must get to 0. */
export function mp3EncodersInUse(): number {
  return inUse;
}

export function lameTakesRate(sampleRate: number): boolean {
  return LAME_RATES.has(sampleRate);
}

/** LAME wants floats in [-1, 1]; the model may overshoot, which s16 conversion would clip too. */
function clamped(samples: Float32Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-1, Math.min(1, samples[i] ?? 0));
  return out;
}

export interface Mp3Encoder {
  /** MP3 frames for these samples (possibly none yet: LAME holds back a frame's worth). */
  encode(samples: Float32Array): Buffer;
  /** The last frames; the encoder goes back to the pool and must not be used again. */
  finish(): Buffer;
  /** Gives the encoder back without finishing (the listener left). */
  release(): void;
}

export async function openMp3Encoder(sampleRate: number): Promise<Mp3Encoder> {
  if (!lameTakesRate(sampleRate)) throw new Error(`LAME does not take ${sampleRate} Hz input`);
  const lame = idle.pop() ?? (await createMp3Encoder());
  // configure() frees whatever the instance held from its last use and starts a fresh stream.
  lame.configure({ channels: 1, sampleRate, bitrate: BITRATE_KBPS });
  let open = true;
  inUse++;
  const giveBack = () => {
    if (!open) return;
    open = false;
    inUse--;
    if (idle.length < POOL_MAX) idle.push(lame);
  };
  return {
    encode(samples) {
      if (!open) throw new Error("MP3 encoder used after it was finished");
      const frames: Buffer[] = [];
      for (let at = 0; at < samples.length; at += SLICE_SAMPLES) {
        // encode() answers a view into the instance's memory, overwritten by the next call.
        frames.push(Buffer.from(lame.encode([clamped(samples.subarray(at, at + SLICE_SAMPLES))])));
      }
      return Buffer.concat(frames);
    },
    finish() {
      if (!open) throw new Error("MP3 encoder used after it was finished");
      const last = Buffer.from(lame.finalize());
      giveBack();
      return last;
    },
    release: giveBack,
  };
}

/** A whole recording to MP3, a slice per turn of the event loop; stops if `signal` aborts. */
export async function encodeMp3(
  samples: Float32Array,
  sampleRate: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const encoder = await openMp3Encoder(sampleRate);
  const parts: Buffer[] = [];
  try {
    for (let at = 0; at < samples.length; at += SLICE_SAMPLES) {
      signal?.throwIfAborted();
      parts.push(encoder.encode(samples.subarray(at, at + SLICE_SAMPLES)));
      if (at + SLICE_SAMPLES < samples.length) await nextTurn();
    }
    parts.push(encoder.finish());
  } finally {
    encoder.release();
  }
  return Buffer.concat(parts);
}
