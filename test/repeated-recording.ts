/**
 * The Whisper fixture's 11 s recording (jfk_16k.wav) played several times over, as one WAV: a
 * longer upload with real speech in it, so a transcription runs over several windows.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { encodeWav16, parseWav16 } from "@/server/audio/wav";
import { MODEL_MIRROR_DIR } from "@/test/mirror";

export function repeatedRecording(times: number): Buffer {
  const { samples, sampleRate } = parseWav16(
    readFileSync(path.join(MODEL_MIRROR_DIR, "test", "whisper-tiny-random", "jfk_16k.wav")),
  );
  const whole = new Float32Array(samples.length * times);
  for (let i = 0; i < times; i++) whole.set(samples, i * samples.length);
  return encodeWav16({ samples: whole, sampleRate });
}
