/**
 * A speech job's result file, built while its chunks are made. MP3 (LAME, on the process's MP3
 * thread) is encoded chunk by chunk while the model makes the next chunk, so the file is ready
 * soon after the last chunk is; other formats keep the PCM and go to ffmpeg once at the end (a
 * FLAC header wants the total, and one process per job is cheap).
 */
import { concatSamples } from "@/lib/audio/concat-samples";
import { type AudioFormat, CONTENT_TYPES, type EncodedAudio, encodeAudio } from "@/server/audio/encode";
import { lameTakesRate } from "@/server/audio/mp3-encoder";
import { openThreadedMp3Encoder } from "@/server/audio/mp3-thread";

export interface ResultEncoder {
  add(samples: Float32Array): void;
  /** The whole file; the encoder is spent afterwards. */
  finish(): Promise<EncodedAudio>;
  /** Frees the encoder when the job stops before finishing. */
  release(): void;
}

export async function openResultEncoder(format: AudioFormat, sampleRate: number): Promise<ResultEncoder> {
  if (format === "mp3" && lameTakesRate(sampleRate)) {
    const lame = openThreadedMp3Encoder(sampleRate);
    return {
      add: (samples) => lame.add(samples),
      finish: async () => ({ bytes: await lame.finish(), contentType: CONTENT_TYPES.mp3 }),
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
