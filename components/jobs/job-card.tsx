"use client";
/**
 * One job in the history: live progress while it runs, then play, download, share or delete.
 * A speech job just generated in the studio (`live`) also plays while it is made, and its
 * finished file's player carries on from where the live audio was.
 */
import { useRef, useState } from "react";
import { type LiveHandoff, LivePlayer } from "@/components/audio/live-player";
import { WaveformPlayer } from "@/components/audio/waveform-player";
import { TranscriptView } from "@/components/transcript/transcript-view";
import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/audio/errors";
import type { JobView } from "@/lib/schemas/jobs";
import { describeWait, formatDuration, formatKeptUntil, STATUS_LABELS } from "./format";
import { ProgressBar } from "./progress-bar";
import { ShareControls } from "./share-controls";
import { useJobEvents } from "./use-job-events";

const STATUS_STYLES: Record<JobView["status"], string> = {
  queued: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  running: "bg-brand-100 text-brand-700 dark:bg-brand-700 dark:text-white",
  succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
  failed: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
  canceled: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
};

function describe(job: JobView): string {
  if (job.kind === "speech") {
    const characters = Number(job.options.characters ?? 0);
    return `Speech · ${String(job.options.voice ?? "")} · ${characters.toLocaleString("en")} characters`;
  }
  return `Transcription · ${formatBytes(job.inputBytes)}`;
}

export interface JobCardProps {
  initial: JobView;
  onRemoved: (id: string) => void;
  /** Play this speech job while it is made, then go on in the finished file. */
  live?: boolean;
}

export function JobCard({ initial, onRemoved, live = false }: JobCardProps) {
  const job = useJobEvents(initial);
  const handoff = useRef<LiveHandoff>({ time: 0, playing: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = job.status === "queued" || job.status === "running";
  const playLive = live && job.kind === "speech";
  const audio = job.result?.files.find((file) => file.mime.startsWith("audio/"));
  // A finished transcription reads as a transcript beside its recording, with its own downloads.
  const transcript = job.kind === "transcription" && job.status === "succeeded" ? job.result : null;

  async function remove() {
    setBusy(true);
    setError(null);
    const response = await fetch(`/api/jobs/${job.id}`, { method: "DELETE" });
    setBusy(false);
    if (!response.ok) return setError("Could not remove this job. Try again.");
    const { outcome } = (await response.json()) as { outcome: "canceled" | "deleted" };
    if (outcome === "deleted") onRemoved(job.id);
  }

  return (
    <li
      className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      data-testid="job-card"
      data-job-id={job.id}
      data-status={job.status}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="font-medium">{describe(job)}</p>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {new Date(job.createdAt).toLocaleString("en")}
            {job.engine ? ` · ${job.engine}` : ""}
            {job.resultBytes ? ` · ${formatBytes(job.resultBytes)}` : ""}
            {" · "}
            <span data-testid="job-expiry">{formatKeptUntil(job.expiresAt)}</span>
          </p>
        </div>
        <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${STATUS_STYLES[job.status]}`}>
          {STATUS_LABELS[job.status]}
        </span>
      </div>

      {active && playLive && (
        <div className="mt-3">
          <LivePlayer
            jobId={job.id}
            running={job.status === "running"}
            label={describe(job)}
            handoff={handoff}
          />
        </div>
      )}
      {active && (
        <div className="mt-3 flex flex-col gap-1" data-testid="job-progress">
          <ProgressBar
            value={job.status === "queued" ? null : job.progress}
            label={`Progress of ${describe(job)}`}
          />
          <p
            className="text-xs text-slate-600 dark:text-slate-400"
            aria-live="polite"
            data-testid="job-stage"
          >
            {job.status === "queued"
              ? describeWait(job.position)
              : `${job.stage ?? "Working"} · ${Math.round(job.progress * 100)}%${
                  job.etaSeconds !== null ? ` · about ${formatDuration(job.etaSeconds)} left` : ""
                }`}
          </p>
        </div>
      )}

      {job.status === "failed" && job.error && (
        <p className="mt-2 text-sm text-red-700 dark:text-red-400">{job.error}</p>
      )}

      {transcript && (
        <div className="mt-3">
          <TranscriptView
            result={transcript}
            filesBase={`/api/jobs/${job.id}/files`}
            actions={<ShareControls job={job} />}
          />
        </div>
      )}
      {!transcript && job.status === "succeeded" && audio && (
        <div className="mt-3">
          <WaveformPlayer
            src={`/api/jobs/${job.id}/files/${audio.name}`}
            label={describe(job)}
            testId="job-audio"
            {...(playLive ? { startAt: handoff.current.time, autoPlay: handoff.current.playing } : {})}
          />
        </div>
      )}
      {!transcript && job.status === "succeeded" && job.result?.text !== undefined && (
        <p className="mt-3 whitespace-pre-wrap text-sm" data-testid="job-text">
          {job.result.text}
        </p>
      )}

      <div className="mt-3 flex flex-wrap items-center gap-2">
        {!transcript &&
          job.status === "succeeded" &&
          job.result?.files.map((file) => (
            <a
              key={file.name}
              href={`/api/jobs/${job.id}/files/${file.name}`}
              download={file.name}
              className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Download {file.name}
            </a>
          ))}
        {!transcript && job.status === "succeeded" && <ShareControls job={job} />}
        <Button variant={active ? "secondary" : "danger"} onClick={remove} disabled={busy} className="py-1.5">
          {active ? "Cancel" : "Delete"}
        </Button>
      </div>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </li>
  );
}
