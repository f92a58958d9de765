"use client";
/**
 * Plays a speech job's audio while the backend makes it (GET /api/jobs/:id/audio, MP3 from the
 * first sentence on). It connects once the job runs (not while it waits in line, which would
 * hold a request open for nothing) and writes where it is into `handoff`, so that the finished
 * file's player can carry on from the same moment when the job ends.
 */
import { type RefObject, useEffect, useRef, useState } from "react";

export interface LiveHandoff {
  /** Seconds played of the live stream. */
  time: number;
  playing: boolean;
}

type LiveState = "waiting" | "connecting" | "playing" | "catching-up" | "paused" | "blocked" | "stopped";

const STATE_TEXT: Record<LiveState, string> = {
  waiting: "Plays here as soon as the first sentence is made",
  connecting: "Waiting for the first sentence…",
  playing: "Playing while generating",
  // Played everything made so far: the next sentence is still being made.
  "catching-up": "Waiting for the next sentence…",
  paused: "Paused · still generating",
  blocked: "Press play to listen while it is made",
  stopped: "The live audio stopped; the finished file appears here when the job is done",
};

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

export interface LivePlayerProps {
  jobId: string;
  /** The job has started: connect and play. */
  running: boolean;
  label: string;
  handoff: RefObject<LiveHandoff>;
}

export function LivePlayer({ jobId, running, label, handoff }: LivePlayerProps) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const [state, setState] = useState<LiveState>("waiting");
  const [time, setTime] = useState(0);
  const src = running ? `/api/jobs/${jobId}/audio` : undefined;

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio || !src) return;
    setState("connecting");
    // Generate was the gesture that allows this; a browser that still refuses gets a play button.
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === "NotAllowedError") setState("blocked");
    });
    return () => {
      // Dropping the source ends the request at once, which releases the job's folder on the backend.
      audio.pause();
      audio.removeAttribute("src");
      audio.load();
    };
  }, [src]);

  function toggle() {
    const audio = audioRef.current;
    if (!audio || !src) return;
    if (audio.paused) void audio.play().catch(() => setState("blocked"));
    else audio.pause();
  }

  const playing = state === "playing" || state === "catching-up";
  return (
    <div
      className="flex items-center gap-3 rounded-xl border border-brand-600/30 bg-brand-50 p-2 dark:border-brand-500/40 dark:bg-slate-950"
      data-testid="live-player"
      data-state={state}
    >
      {/* biome-ignore lint/a11y/useMediaCaption: speech made from the text typed above it. */}
      <audio
        ref={audioRef}
        src={src}
        preload="auto"
        data-testid="live-audio"
        onPlaying={() => {
          setState("playing");
          handoff.current = { time: audioRef.current?.currentTime ?? 0, playing: true };
        }}
        onWaiting={() => setState((now) => (now === "playing" ? "catching-up" : now))}
        onPause={(event) => {
          setState(event.currentTarget.ended ? "stopped" : "paused");
          handoff.current = { time: event.currentTarget.currentTime, playing: false };
        }}
        onTimeUpdate={(event) => {
          const seconds = event.currentTarget.currentTime;
          setTime(seconds);
          handoff.current = { time: seconds, playing: !event.currentTarget.paused };
        }}
        onError={() => {
          if (src) setState("stopped");
        }}
      />
      <button
        type="button"
        onClick={toggle}
        disabled={!src}
        aria-label={`${playing ? "Pause" : "Play"} live audio of ${label}`}
        className="inline-flex size-10 shrink-0 items-center justify-center rounded-full bg-brand-600 text-white hover:bg-brand-700 disabled:opacity-50"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
          {playing ? <path d="M4 2h3v12H4zM9 2h3v12H9z" /> : <path d="M4 2l10 6-10 6z" />}
        </svg>
      </button>
      <p className="min-w-0 flex-1 text-sm" aria-live="polite" data-testid="live-state">
        {playing && (
          <span
            aria-hidden="true"
            className="mr-2 inline-block size-2 animate-pulse rounded-full bg-brand-600 dark:bg-brand-500"
          />
        )}
        {STATE_TEXT[state]}
      </p>
      <span className="shrink-0 text-xs tabular-nums text-slate-600 dark:text-slate-400">{clock(time)}</span>
    </div>
  );
}
