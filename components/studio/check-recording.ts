/**
 * The browser's checks before an upload, in the order that costs least: size against the tier,
 * the container by its magic bytes, that the audio decodes, and its duration against the tier.
 * Size and duration refusals use the server's own functions, so both say the same words.
 */
import { AudioInputError } from "@/lib/audio/errors";
import { type AudioLimits, checkAudioDuration, checkAudioSize } from "@/lib/audio/limits";
import { SNIFF_HEAD_BYTES, sniffAudio } from "@/lib/audio/sniff";

/** Decoding at Whisper's rate keeps a long recording's decoded copy small (4 bytes × 16 000 per second). */
const DECODE_SAMPLE_RATE_HZ = 16_000;

export const UNDECODABLE_MESSAGE =
  "The file could not be decoded as audio: it may be damaged or cut short, or its codec is one this browser cannot play";

export type RecordingCheck = { ok: true; seconds: number } | { ok: false; message: string };

async function decodedSeconds(file: File): Promise<number | null> {
  const context = new OfflineAudioContext(1, 1, DECODE_SAMPLE_RATE_HZ);
  try {
    const buffer = await context.decodeAudioData(await file.arrayBuffer());
    return buffer.duration;
  } catch {
    return null;
  }
}

export async function checkRecording(file: File, limits: AudioLimits): Promise<RecordingCheck> {
  try {
    checkAudioSize(file.size, limits);
    const head = new Uint8Array(await file.slice(0, SNIFF_HEAD_BYTES).arrayBuffer());
    const sniffed = sniffAudio(head, file.size);
    if (!sniffed.ok) return { ok: false, message: sniffed.message };
    const seconds = await decodedSeconds(file);
    if (seconds === null || seconds === 0) return { ok: false, message: UNDECODABLE_MESSAGE };
    checkAudioDuration(seconds, limits);
    return { ok: true, seconds };
  } catch (error) {
    if (error instanceof AudioInputError) return { ok: false, message: error.message };
    throw error;
  }
}
