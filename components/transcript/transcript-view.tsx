"use client";
/**
 * A finished transcription: the recording's player beside its timed segments. Choosing a segment
 * plays the recording from its start; the segment playing is highlighted. Copy, downloads in each
 * format, and (for the owner) sharing sit under the player. Used by job cards and the share page.
 */
import { type ReactNode, useRef, useState } from "react";
import type { JobResult } from "@/lib/schemas/jobs";
import { WHISPER_LANGUAGES } from "@/lib/transcript/languages";
import { formatClock, segmentIndexAt } from "@/lib/transcript/playback";
import { SegmentList } from "./segment-list";
import { TranscriptActions } from "./transcript-actions";
import { useTranscriptFile } from "./use-transcript-file";

function languageName(language: string | undefined): string | null {
  if (!language) return null;
  const name = WHISPER_LANGUAGES[language] ?? language;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function TranscriptView({
  result,
  filesBase,
  actions,
}: {
  result: JobResult;
  /** Where the job's files are served: /api/jobs/<id>/files for the owner, /r/<token>/files for a share. */
  filesBase: string;
  /** Extra controls beside Copy (the owner's share controls). */
  actions?: ReactNode;
}) {
  const file = useTranscriptFile(filesBase);
  const audio = useRef<HTMLAudioElement>(null);
  const [current, setCurrent] = useState(-1);
  const [playing, setPlaying] = useState(false);
  const recording = result.files.find((entry) => /^(audio|video)\//.test(entry.mime));
  const segments = file.status === "ready" ? file.transcript.segments : [];
  const language = languageName(result.language);

  function seek(index: number) {
    const segment = segments[index];
    const element = audio.current;
    if (!segment || !element) return;
    element.currentTime = segment.start;
    setCurrent(index);
    // Playback may be refused (no audio output, autoplay rules); the seek still stands.
    void element.play().catch(() => undefined);
  }

  return (
    <div className="@container" data-testid="transcript-view">
      <div className="grid gap-4 @xl:grid-cols-[minmax(0,16rem)_minmax(0,1fr)]">
        <div className="flex flex-col gap-3">
          {recording && (
            // biome-ignore lint/a11y/useMediaCaption: the transcript beside the player is its text, segment by segment.
            <audio
              ref={audio}
              controls
              preload="auto"
              src={`${filesBase}/${recording.name}`}
              aria-label="Recording"
              className="w-full"
              data-testid="transcript-audio"
              onTimeUpdate={(event) => setCurrent(segmentIndexAt(segments, event.currentTarget.currentTime))}
              onPlay={() => setPlaying(true)}
              onPause={() => setPlaying(false)}
            />
          )}
          <p className="text-xs text-slate-600 dark:text-slate-400" data-testid="transcript-meta">
            {[
              language,
              result.durationSeconds !== undefined && formatClock(result.durationSeconds),
              file.status === "ready" && `${segments.length} segment${segments.length === 1 ? "" : "s"}`,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
          <TranscriptActions text={result.text ?? ""} files={result.files} filesBase={filesBase}>
            {actions}
          </TranscriptActions>
          {recording && (
            <a
              href={`${filesBase}/${recording.name}`}
              download={recording.name}
              className="text-sm font-medium text-brand-700 underline underline-offset-2 dark:text-brand-100"
            >
              Download the recording
            </a>
          )}
        </div>
        <div>
          {file.status === "loading" && (
            <p className="text-sm text-slate-600 dark:text-slate-400">Loading the transcript…</p>
          )}
          {file.status === "error" && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {file.message}
            </p>
          )}
          {file.status === "ready" && (
            <SegmentList segments={segments} current={current} following={playing} onSeek={seek} />
          )}
        </div>
      </div>
    </div>
  );
}
