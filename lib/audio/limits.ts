/**
 * How much audio a person may send, per tier, from the policy table. The browser and the server
 * both call checkAudioSize/checkAudioDuration so the person sees the same refusal in both places.
 */
import { z } from "zod";
import { AudioInputError, formatBytes, formatSeconds } from "@/lib/audio/errors";
import { LIMITS } from "@/lib/limits";

export const audioTierSchema = z.enum(["free", "pro"]);
export type AudioTier = z.infer<typeof audioTierSchema>;

export interface AudioLimits {
  maxBytes: number;
  maxSeconds: number;
}

const TIER_LIMITS: Record<AudioTier, AudioLimits> = {
  free: { maxBytes: LIMITS.stt.FREE_MAX_BYTES, maxSeconds: LIMITS.stt.FREE_MAX_SECONDS },
  pro: { maxBytes: LIMITS.stt.PRO_MAX_BYTES, maxSeconds: LIMITS.stt.PRO_MAX_SECONDS },
};

/** The limits of a tier; unknown or missing tiers get the free tier's. */
export function audioLimitsFor(tier?: string | null): AudioLimits {
  const parsed = audioTierSchema.safeParse(tier);
  return TIER_LIMITS[parsed.success ? parsed.data : "free"];
}

export function checkAudioSize(bytes: number, limits: AudioLimits): void {
  if (bytes <= 0) throw new AudioInputError("empty", "The file is empty (0 bytes)");
  if (bytes > limits.maxBytes) {
    throw new AudioInputError(
      "too_large",
      `The file is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxBytes)}`,
    );
  }
}

export function checkAudioDuration(seconds: number, limits: AudioLimits): void {
  if (seconds > limits.maxSeconds) {
    throw new AudioInputError(
      "too_long",
      `The recording is ${formatSeconds(seconds)} long; the limit is ${formatSeconds(limits.maxSeconds)}`,
    );
  }
}
