/**
 * A speech job's result file, built while its chunks are made. MP3 (LAME in this process) is
 * encoded chunk by chunk, so with readAhead the encoding runs while the model makes the next
 * chunk and the file is ready as soon as the last chunk is; other formats keep the PCM and go to
 * ffmpeg once at the end (a FLAC header wants the total, and one process per job is cheap).
 */
import { concatSamples } from "@/lib/audio/concat-samples";
import { type AudioFormat, CONTENT_TYPES, type EncodedAudio, encodeAudio } from "@/server/audio/encode";
import { lameTakesRate, openMp3Encoder } from "@/server/audio/mp3-encoder";

export interface ResultEncoder {
  add(samples: Float32Array): void;
  /** The whole file; the encoder is spent afterwards. */
  finish(): Promise<EncodedAudio>;
  /** Frees the encoder when the job stops before finishing. */
  release(): void;
}

export async function openResultEncoder(format: AudioFormat, sampleRate: number): Promise<ResultEncoder> {
  if (format === "mp3" && lameTakesRate(sampleRate)) {
    const lame = await openMp3Encoder(sampleRate);
    const frames: Buffer[] = [];
    return {
      add: (samples) => void frames.push(lame.encode(samples)),
      finish: async () => ({
        bytes: Buffer.concat([...frames, lame.finish()]),
        contentType: CONTENT_TYPES.mp3,
      }),
      release: () => lame.release(),
    };
  }
  const parts: Float32Array[] = [];
  return {
    add: (samples) => void parts.push(samples),
    finish: () => encodeAudio({ samples: concatSamples(parts), sampleRate }, format),
    release: () => undefined,
  };
}
