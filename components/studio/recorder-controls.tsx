"use client";
/**
 * Record, stop and discard, with a live level meter and a timer against the person's limit.
 * The finished recording is handed to the form, which checks and uploads it like a chosen file.
 */
import { Button } from "@/components/ui/button";
import { formatClock } from "@/lib/transcript/playback";
import { LevelMeter } from "./level-meter";
import { useRecorder } from "./use-recorder";

export function RecorderControls({
  maxSeconds,
  onRecorded,
  disabled,
}: {
  maxSeconds: number;
  onRecorded: (file: File) => void;
  disabled?: boolean;
}) {
  const { state, start, stop, discard } = useRecorder({ maxSeconds, onRecorded });
  const recording = state.phase === "recording";

  return (
    <div className="flex flex-col gap-2" data-testid="recorder">
      <div className="flex flex-wrap items-center gap-2">
        {recording ? (
          <>
            <Button type="button" onClick={stop}>
              <span aria-hidden="true" className="size-2.5 rounded-sm bg-white" />
              Stop
            </Button>
            <Button type="button" variant="secondary" onClick={discard}>
              Discard
            </Button>
          </>
        ) : (
          <Button
            type="button"
            variant="secondary"
            onClick={() => void start()}
            disabled={disabled || state.phase === "starting"}
          >
            <span aria-hidden="true" className="size-2.5 rounded-full bg-red-600" />
            {state.phase === "starting" ? "Starting…" : "Record"}
          </Button>
        )}
        {recording && (
          <span className="font-mono text-sm tabular-nums" data-testid="recording-timer">
            <span className="sr-only">Recorded </span>
            {formatClock(state.seconds)} / {formatClock(maxSeconds)}
          </span>
        )}
      </div>
      {recording && (
        <>
          <LevelMeter level={state.level} />
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Recording stops by itself at {formatClock(maxSeconds)}, the limit for your account.
          </p>
        </>
      )}
      {state.phase === "error" && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="recorder-error">
          {state.message}
        </p>
      )}
    </div>
  );
}
