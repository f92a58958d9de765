"use client";
/**
 * The transcript's segments with their start times. Each is a button, so a click, Enter or
 * Space plays the audio from there; the one playing is marked (aria-current) and kept in view.
 */
import { useEffect, useRef } from "react";
import { formatClock } from "@/lib/transcript/playback";
import type { VerboseJsonSegment } from "@/lib/transcript/verbose-json";

export function SegmentList({
  segments,
  current,
  following,
  onSeek,
}: {
  segments: readonly VerboseJsonSegment[];
  current: number;
  /** While the audio plays the current segment is scrolled into view; never while the person reads. */
  following: boolean;
  onSeek: (index: number) => void;
}) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!following || current < 0) return;
    list.current?.children[current]?.scrollIntoView({ block: "nearest" });
  }, [current, following]);

  if (segments.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="no-segments">
        No speech was found in this recording.
      </p>
    );
  }
  return (
    <ol
      ref={list}
      aria-label="Transcript segments"
      className="flex max-h-96 flex-col gap-1 overflow-y-auto pr-1"
      data-testid="transcript-segments"
    >
      {segments.map((segment, index) => (
        <li key={segment.id}>
          <button
            type="button"
            aria-current={index === current ? "true" : undefined}
            onClick={() => onSeek(index)}
            data-start={segment.start}
            data-testid="transcript-segment"
            className="flex w-full gap-3 rounded-lg px-2 py-1.5 text-left text-sm hover:bg-slate-100 aria-[current]:bg-brand-100 aria-[current]:text-slate-900 dark:hover:bg-slate-800 dark:aria-[current]:bg-brand-700 dark:aria-[current]:text-white"
          >
            <span className="shrink-0 font-mono text-xs leading-5 tabular-nums">
              <span className="sr-only">Play from </span>
              {formatClock(segment.start)}
            </span>
            <span>{segment.text.trim() || "…"}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
