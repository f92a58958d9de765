/**
 * How many seconds of audio an upload declares, read by ffprobe when the job is created, so the
 * transcription quota can be charged before any work is queued. This is the authoritative
 * place to charge: the web app never decodes audio, and the worker learns the exact length only
 * after the work is done. A container that declares no duration (a live-recorded WebM) is
 * charged the tier's longest recording, which the decoder enforces as a hard cap anyway.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AudioLimits, checkAudioDuration } from "@/lib/audio/limits";
import type { AudioContainer } from "@/lib/audio/sniff";
import { DEMUXER } from "@/server/audio/decode";
import { probeAudio } from "@/server/audio/probe";

export async function chargeableSeconds(
  bytes: Uint8Array,
  container: AudioContainer,
  limits: AudioLimits,
): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), "parla-probe-"));
  try {
    const file = path.join(dir, "upload");
    await writeFile(file, bytes, { mode: 0o600 });
    // A file ffprobe cannot read is refused here (AudioInputError, 4xx): the worker would refuse it too.
    const probed = await probeAudio(file, { demuxer: DEMUXER[container] });
    const declared = probed.durationSeconds;
    if (declared === null) return limits.maxSeconds;
    checkAudioDuration(declared, limits);
    return declared;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
