"use client";
/**
 * The studio's transcription form: pick or drop a recording, choose transcribe or translate to
 * English, and send it as a job. The browser checks the size and the container's magic bytes
 * first (the same checks the server repeats), so a wrong file is refused before any upload.
 */
import { useId, useState } from "react";
import { JobList } from "@/components/jobs/job-list";
import { Button } from "@/components/ui/button";
import { formatBytes } from "@/lib/audio/errors";
import { audioLimitsFor, checkAudioSize } from "@/lib/audio/limits";
import { SNIFF_HEAD_BYTES, sniffAudio } from "@/lib/audio/sniff";
import type { JobView } from "@/lib/schemas/jobs";
import { submitJob } from "./submit-job";

const LIMITS = audioLimitsFor("free");

async function checkFile(file: File): Promise<string | null> {
  try {
    // The same check, with the same message, as the server's.
    checkAudioSize(file.size, LIMITS);
  } catch (error) {
    return (error as Error).message;
  }
  const head = new Uint8Array(await file.slice(0, SNIFF_HEAD_BYTES).arrayBuffer());
  const sniffed = sniffAudio(head, file.size);
  return sniffed.ok ? null : sniffed.message;
}

export function TranscriptionJobForm() {
  const ids = useId();
  const [file, setFile] = useState<File | null>(null);
  const [task, setTask] = useState<"transcribe" | "translate">("transcribe");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jobs, setJobs] = useState<JobView[]>([]);

  async function choose(next: File | null) {
    setFile(next);
    setError(next ? await checkFile(next) : null);
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return;
    setPending(true);
    setError(null);
    const body = new FormData();
    body.set("file", file);
    body.set("task", task);
    const sent = await submitJob({ body });
    setPending(false);
    if ("error" in sent) return setError(sent.error);
    setJobs((all) => [sent.job, ...all]);
  }

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
          <span className="font-medium">{file ? file.name : "Drop a recording here, or choose one"}</span>
          <span className="text-xs text-slate-600 dark:text-slate-400">
            WAV, MP3, M4A, OGG, WebM or FLAC, up to {formatBytes(LIMITS.maxBytes)} and {LIMITS.maxSeconds} s
          </span>
          <input
            id={`${ids}-file`}
            type="file"
            accept="audio/*,video/mp4,video/webm,video/quicktime"
            className="sr-only"
            onChange={(event) => void choose(event.target.files?.[0] ?? null)}
          />
        </label>
        <fieldset className="flex flex-wrap gap-4">
          <legend className="mb-1 text-sm font-medium">Output</legend>
          {(["transcribe", "translate"] as const).map((value) => (
            <label key={value} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name={`${ids}-task`}
                value={value}
                checked={task === value}
                onChange={() => setTask(value)}
                className="accent-brand-600"
              />
              {value === "transcribe" ? "Transcript in the spoken language" : "Translation to English"}
            </label>
          ))}
        </fieldset>
        <div>
          <Button type="submit" disabled={pending || !file || error !== null}>
            {pending ? "Uploading…" : "Transcribe"}
          </Button>
        </div>
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="upload-error">
            {error}
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
