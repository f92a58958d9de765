"use client";
/**
 * The one player for spoken results (previews, job cards, share pages): a canvas outline of the
 * decoded audio with the played part in colour, play/pause, and seeking by click or keyboard
 * (the outline is a slider: arrows ±5 s, Page Up/Down ±10 %, Home/End).
 */
import { type KeyboardEvent, type MouseEvent, useCallback, useEffect, useRef, useState } from "react";
import { useWaveformPeaks } from "./use-waveform-peaks";

const STEP_SECONDS = 5;

/** Streams and unknown lengths report NaN or Infinity; the slider needs a number. */
function finite(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

function clock(seconds: number): string {
  const whole = Number.isFinite(seconds) ? Math.floor(seconds) : 0;
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function draw(canvas: HTMLCanvasElement, outline: Float32Array | null, played: number) {
  const context = canvas.getContext("2d");
  if (!context) return;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  // Colours come from CSS (text colour of the canvas and of its parent), so light and dark follow the theme.
  const playedColour = getComputedStyle(canvas).color;
  const restColour = canvas.parentElement ? getComputedStyle(canvas.parentElement).color : playedColour;
  const bars = outline && outline.length > 0 ? outline : new Float32Array(80);
  const step = width / bars.length;
  for (let i = 0; i < bars.length; i++) {
    const barHeight = Math.max(2, (bars[i] ?? 0) * (height - 4));
    context.fillStyle = (i + 0.5) / bars.length <= played ? playedColour : restColour;
    context.fillRect(i * step, (height - barHeight) / 2, Math.max(1, step - 1), barHeight);
  }
}

export interface WaveformPlayerProps {
  src: string;
  /** What is playing, for the controls' accessible names ("Preview", "Speech job …"). */
  label: string;
  /** Samples already in memory (a preview): drawn without decoding the file again. */
  samples?: Float32Array;
  testId?: string;
  autoPlay?: boolean;
  /** Where to begin, in seconds (a live stream's position, carried on in the finished file). */
  startAt?: number;
}

export function WaveformPlayer({
  src,
  label,
  samples,
  testId,
  autoPlay = false,
  startAt = 0,
}: WaveformPlayerProps) {
  const audioRef = useRef<HTMLAudioElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const outline = useWaveformPeaks(src, samples);
  const played = duration > 0 ? time / duration : 0;

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    draw(canvas, outline, played);
    const redraw = () => draw(canvas, outline, played);
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", redraw);
    window.addEventListener("resize", redraw);
    return () => {
      scheme.removeEventListener("change", redraw);
      window.removeEventListener("resize", redraw);
    };
  }, [outline, played]);

  // Server-rendered audio (share pages) may load its metadata before React attaches handlers.
  useEffect(() => {
    const audio = audioRef.current;
    if (audio && audio.readyState >= HTMLMediaElement.HAVE_METADATA) setDuration(finite(audio.duration));
  }, []);

  // While playing, follow the audio every frame (timeupdate fires only a few times a second).
  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function follow() {
      setTime(audioRef.current?.currentTime ?? 0);
      frame = requestAnimationFrame(follow);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  const seek = useCallback(
    (seconds: number) => {
      const audio = audioRef.current;
      if (!audio || !(duration > 0)) return;
      audio.currentTime = Math.min(duration, Math.max(0, seconds));
      setTime(audio.currentTime);
    },
    [duration],
  );

  function toggle() {
    const audio = audioRef.current;
    if (!audio) return;
    if (audio.paused) void audio.play().catch(() => setPlaying(false));
    else audio.pause();
  }

  function onClick(event: MouseEvent<HTMLDivElement>) {
    const box = event.currentTarget.getBoundingClientRect();
    seek(((event.clientX - box.left) / box.width) * duration);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowLeft: time - STEP_SECONDS,
      ArrowDown: time - STEP_SECONDS,
      ArrowRight: time + STEP_SECONDS,
      ArrowUp: time + STEP_SECONDS,
      PageDown: time - duration / 10,
      PageUp: time + duration / 10,
      Home: 0,
      End: duration,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    seek(target);
  }

  return (
    <div className="flex items-center gap-3" data-testid={testId ? `${testId}-player` : undefined}>
      {/* biome-ignore lint/a11y/useMediaCaption: speech made from the text shown beside it. */}
      <audio
        ref={audioRef}
        src={src}
        preload="metadata"
        autoPlay={autoPlay}
        data-testid={testId}
        onLoadedMetadata={(event) => {
          const audio = event.currentTarget;
          setDuration(finite(audio.duration));
          // Before autoplay starts (that waits for enough data), so playback begins right there.
          if (startAt > 0 && startAt < finite(audio.duration)) audio.currentTime = startAt;
        }}
        onDurationChange={(event) => setDuration(finite(event.currentTarget.duration))}
        onTimeUpdate={(event) => setTime(event.currentTarget.currentTime)}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => setPlaying(false)}
      />
      <button
        type="button"
        onClick={toggle}
        aria-label={`${playing ? "Pause" : "Play"} ${label}`}
        className="inline-flex size-10 shrink-0 items-center justify-center rounded-full bg-brand-600 text-white hover:bg-brand-700"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
          {playing ? <path d="M4 2h3v12H4zM9 2h3v12H9z" /> : <path d="M4 2l10 6-10 6z" />}
        </svg>
      </button>
      <div
        role="slider"
        tabIndex={0}
        aria-label={`Position in ${label}`}
        aria-valuemin={0}
        aria-valuemax={Math.round(duration * 10) / 10}
        aria-valuenow={Math.round(time * 10) / 10}
        aria-valuetext={`${clock(time)} of ${clock(duration)}`}
        onClick={onClick}
        onKeyDown={onKeyDown}
        className="h-12 min-w-0 flex-1 cursor-pointer rounded-md text-slate-400 dark:text-slate-600"
      >
        <canvas ref={canvasRef} className="size-full text-brand-600 dark:text-brand-500" />
      </div>
      <span className="w-20 shrink-0 text-right text-xs tabular-nums text-slate-600 dark:text-slate-400">
        {clock(time)} / {clock(duration)}
      </span>
    </div>
  );
}
