/**
 * openai/whisper's temperature fallback: a window whose decode looks like a failure (repetitive
 * text, or tokens the model doubts) is decoded again at the next higher temperature, until one
 * passes or the schedule ends. A window the model thinks is silence is not a failure.
 */
import { LIMITS } from "@/lib/limits";

/** From `start` up to 1 in steps of FALLBACK_TEMPERATURE_STEP: 0 → [0, 0.2, 0.4, 0.6, 0.8, 1]. */
export function temperatureSchedule(start: number): number[] {
  const steps: number[] = [];
  for (let index = 0; ; index++) {
    const temperature = Math.round((start + index * LIMITS.stt.FALLBACK_TEMPERATURE_STEP) * 100) / 100;
    if (temperature > 1) break;
    steps.push(temperature);
  }
  return steps.length > 0 ? steps : [Math.min(1, start)];
}

export interface DecodeQuality {
  avgLogprob: number;
  compressionRatio: number;
  noSpeechProb: number;
}

export function needsFallback({ avgLogprob, compressionRatio, noSpeechProb }: DecodeQuality): boolean {
  const doubtful = avgLogprob < -LIMITS.stt.FALLBACK_MAX_MEAN_NEG_LOGPROB;
  if (doubtful && noSpeechProb > LIMITS.stt.NO_SPEECH_THRESHOLD) return false;
  return compressionRatio > LIMITS.stt.FALLBACK_MAX_COMPRESSION_RATIO || doubtful;
}
