"use client";
/** The last preview: waveform player, how long it took, and a WAV download. */
import { useEffect, useMemo } from "react";
import { WaveformPlayer } from "@/components/audio/waveform-player";
import { encodeWavBytes } from "@/lib/audio/wav-bytes";
import type { PreviewResult as Result } from "./use-tts-preview";

export interface PreviewClip extends Result {
  label: string;
  id: number;
}

export function PreviewResult({ clip }: { clip: PreviewClip }) {
  const url = useMemo(
    () =>
      URL.createObjectURL(new Blob([encodeWavBytes(clip.samples, clip.sampleRate)], { type: "audio/wav" })),
    [clip],
  );
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const seconds = clip.samples.length / clip.sampleRate;
  return (
    <div
      className="flex flex-col gap-2 rounded-xl border border-slate-200 p-3 dark:border-slate-800"
      data-testid="preview-result"
      data-clip-id={clip.id}
      data-first-audio-ms={Math.round(clip.firstAudioMs)}
      data-included-load={clip.includedLoad}
      data-infer-ms={Math.round(clip.timings.inferMs)}
      data-phonemize-ms={Math.round(clip.timings.phonemizeMs)}
    >
      <p className="text-sm font-medium">{clip.label}</p>
      <WaveformPlayer
        key={url}
        src={url}
        samples={clip.samples}
        label={clip.label}
        testId="preview-audio"
        autoPlay
      />
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400">
        <span>
          {seconds.toFixed(1)} s of audio · first audio after{" "}
          {Math.round(clip.firstAudioMs).toLocaleString("en")} ms
          {clip.includedLoad ? " (including the model load)" : ""}
        </span>
        <a
          href={url}
          download="parla-preview.wav"
          className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          Download preview (WAV)
        </a>
      </div>
    </div>
  );
}
