"use client";
/**
 * The studio's transcription form: drop or choose a recording, or record one from the
 * microphone; the browser checks it (size, magic bytes, that it decodes, duration) before
 * anything is sent; then the upload's progress, and the job's in its card below.
 */
import { useEffect, useId, useRef, useState } from "react";
import { JobList } from "@/components/jobs/job-list";
import { ProgressBar } from "@/components/jobs/progress-bar";
import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/audio/errors";
import { audioLimitsFor } from "@/lib/audio/limits";
import type { JobView } from "@/lib/schemas/jobs";
import { formatClock } from "@/lib/transcript/playback";
import { checkRecording, type RecordingCheck } from "./check-recording";
import { RecorderControls } from "./recorder-controls";
import {
  appendChoices,
  DEFAULT_CHOICES,
  type TranscriptionChoices,
  TranscriptionOptions,
} from "./transcription-options";
import { type UploadProgress, uploadJob } from "./upload-job";

type CheckState =
  | { status: "checking" }
  | { status: "ready"; seconds: number }
  | { status: "refused"; message: string };

const checked = (result: RecordingCheck): CheckState =>
  result.ok ? { status: "ready", seconds: result.seconds } : { status: "refused", message: result.message };

function useObjectUrl(file: File | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file) return setUrl(null);
    const next = URL.createObjectURL(file);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [file]);
  return url;
}

export function TranscriptionJobForm({ tier }: { tier?: string }) {
  const limits = audioLimitsFor(tier);
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [check, setCheck] = useState<CheckState | null>(null);
  const [choices, setChoices] = useState<TranscriptionChoices>(DEFAULT_CHOICES);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [jobs, setJobs] = useState<JobView[]>([]);
  const latest = useRef(0);
  const preview = useObjectUrl(check?.status === "ready" ? file : null);

  async function choose(next: File | null) {
    const turn = ++latest.current;
    setFile(next);
    setError(null);
    setCheck(next ? { status: "checking" } : null);
    if (!next) return;
    const result = await checkRecording(next, limits);
    // A later choice wins over an earlier check that finishes late.
    if (turn === latest.current) setCheck(checked(result));
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file || check?.status !== "ready") return;
    setError(null);
    const body = new FormData();
    body.set("file", file);
    appendChoices(body, choices);
    setUpload({ sentBytes: 0, totalBytes: file.size });
    const sent = await uploadJob(body, setUpload);
    setUpload(null);
    if ("error" in sent) return setError(sent.error);
    setJobs((all) => [sent.job, ...all]);
    void choose(null);
  }

  const uploading = upload !== null;
  const problem = error ?? (check?.status === "refused" ? check.message : null);
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <label
          htmlFor={`${ids}-file`}
          onDragOver={(event) => event.preventDefault()}
          onDrop={(event) => {
            event.preventDefault();
            void choose(event.dataTransfer.files[0] ?? null);
          }}
          className="flex cursor-pointer flex-col items-center gap-1 rounded-2xl border-2 border-dashed border-slate-300 p-6 text-center hover:border-brand-500 dark:border-slate-700"
        >
          <span className="font-medium">Drop a recording here, or choose one</span>
          <span className="text-xs text-slate-600 dark:text-slate-400">
            WAV, MP3, M4A, OGG, WebM or FLAC, up to {formatBytes(limits.maxBytes)} and{" "}
            {formatClock(limits.maxSeconds)}
          </span>
          <input
            id={`${ids}-file`}
            type="file"
            accept="audio/*,video/mp4,video/webm,video/quicktime"
            className="sr-only"
            disabled={uploading}
            onChange={(event) => {
              void choose(event.target.files?.[0] ?? null);
              event.target.value = "";
            }}
          />
        </label>
        <RecorderControls maxSeconds={limits.maxSeconds} onRecorded={choose} disabled={uploading} />

        {file && check && (
          <div
            className="flex flex-col gap-2 rounded-xl bg-slate-50 p-3 text-sm dark:bg-slate-950"
            data-testid="chosen-file"
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p aria-live="polite" data-testid="check-status">
                {check.status === "checking"
                  ? `Checking ${file.name}…`
                  : check.status === "ready"
                    ? `${file.name} · ${formatClock(check.seconds)} · ${formatBytes(file.size)} · ready to send`
                    : `${file.name} cannot be sent`}
              </p>
              <Button
                type="button"
                variant="secondary"
                className="py-1"
                onClick={() => void choose(null)}
                disabled={uploading}
              >
                Remove
              </Button>
            </div>
            {preview && (
              // biome-ignore lint/a11y/useMediaCaption: the person's own recording, before it is transcribed.
              <audio controls src={preview} className="w-full" aria-label={`Listen to ${file.name}`} />
            )}
          </div>
        )}

        <TranscriptionOptions choices={choices} onChange={setChoices} />
        <div>
          <Button type="submit" disabled={uploading || !file || check?.status !== "ready"}>
            {uploading ? "Uploading…" : "Transcribe"}
          </Button>
        </div>
        {upload && (
          <div className="flex flex-col gap-1" data-testid="upload-progress">
            <ProgressBar
              value={upload.totalBytes ? upload.sentBytes / upload.totalBytes : null}
              label={`Upload of ${file?.name ?? "the recording"}`}
            />
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {formatBytes(upload.sentBytes)} of {formatBytes(upload.totalBytes)} sent
            </p>
          </div>
        )}
        {problem && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="upload-error">
            {problem}
          </p>
        )}
      </form>
      {jobs.length > 0 && (
        <JobList
          jobs={jobs}
          label="Transcriptions from this page"
          onRemoved={(id) => setJobs((all) => all.filter((j) => j.id !== id))}
        />
      )}
    </div>
  );
}
