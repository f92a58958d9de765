"use client";
/**
 * The peaks to draw for a player: from samples already in memory (a preview), else by decoding
 * the file the player plays (a job's result). A format the browser cannot decode (raw PCM)
 * leaves the outline flat; playback does not depend on it.
 */
import { useEffect, useMemo, useState } from "react";
import { peaks } from "@/lib/audio/peaks";

export const WAVEFORM_BUCKETS = 160;

async function decodePeaks(src: string, signal: AbortSignal): Promise<Float32Array | null> {
  const response = await fetch(src, { signal });
  if (!response.ok) return null;
  const encoded = await response.arrayBuffer();
  // An offline context decodes without opening an audio output.
  const audio = await new OfflineAudioContext(1, 1, 44_100).decodeAudioData(encoded);
  return peaks(audio.getChannelData(0), WAVEFORM_BUCKETS);
}

export function useWaveformPeaks(src: string, samples?: Float32Array): Float32Array | null {
  const fromSamples = useMemo(() => (samples ? peaks(samples, WAVEFORM_BUCKETS) : null), [samples]);
  const [decoded, setDecoded] = useState<{ src: string; peaks: Float32Array | null } | null>(null);
  useEffect(() => {
    if (samples) return;
    const controller = new AbortController();
    decodePeaks(src, controller.signal)
      .catch(() => null)
      .then((result) => {
        if (!controller.signal.aborted) setDecoded({ src, peaks: result });
      });
    return () => controller.abort();
  }, [src, samples]);
  if (fromSamples) return fromSamples;
  return decoded?.src === src ? decoded.peaks : null;
}
