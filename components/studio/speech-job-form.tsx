"use client";
/**
 * The studio's speech form: text with a live character count, voice, speed and format, and
 * "Generate", which makes a backend job whose progress appears right below.
 */
import { useId, useState } from "react";
import { JobList } from "@/components/jobs/job-list";
import { Button } from "@/components/ui/button";
import { LIMITS } from "@/lib/limits";
import type { JobView } from "@/lib/schemas/jobs";
import { SPEECH_FORMATS } from "@/lib/schemas/speech";
import { KOKORO_VOICES } from "@/models/manifest";
import { submitJob } from "./submit-job";

const MAX = LIMITS.tts.FREE_MAX_CHARS;
const selectClass =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm dark:border-slate-700 dark:bg-slate-900";

export function SpeechJobForm() {
  const ids = useId();
  const [input, setInput] = useState("");
  const [voice, setVoice] = useState<string>("af_heart");
  const [speed, setSpeed] = useState(1);
  const [format, setFormat] = useState<(typeof SPEECH_FORMATS)[number]>("mp3");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jobs, setJobs] = useState<JobView[]>([]);
  const characters = [...input].length;

  async function generate(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const sent = await submitJob({
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "speech", input, voice, speed, format }),
    });
    setPending(false);
    if ("error" in sent) return setError(sent.error);
    setJobs((all) => [sent.job, ...all]);
  }

  return (
    <div className="flex flex-col gap-4">
      <form
        onSubmit={generate}
        className="flex flex-col gap-4"
        aria-describedby={error ? `${ids}-error` : undefined}
      >
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${ids}-text`} className="text-sm font-medium">
            Text
          </label>
          <textarea
            id={`${ids}-text`}
            value={input}
            onChange={(event) => setInput(event.target.value)}
            rows={6}
            required
            aria-describedby={`${ids}-count`}
            aria-invalid={characters > MAX ? true : undefined}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm aria-[invalid]:border-red-600 dark:border-slate-700 dark:bg-slate-900"
            placeholder="Type or paste what Parla should say."
          />
          <p
            id={`${ids}-count`}
            className={`text-xs ${characters > MAX ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
          >
            {characters.toLocaleString("en")} / {MAX.toLocaleString("en")} characters
          </p>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${ids}-voice`} className="text-sm font-medium">
              Voice
            </label>
            <select
              id={`${ids}-voice`}
              value={voice}
              onChange={(e) => setVoice(e.target.value)}
              className={selectClass}
            >
              {KOKORO_VOICES.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${ids}-speed`} className="text-sm font-medium">
              Speed <output htmlFor={`${ids}-speed`}>{speed.toFixed(2)}×</output>
            </label>
            <input
              id={`${ids}-speed`}
              type="range"
              min={0.25}
              max={4}
              step={0.05}
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value))}
              className="accent-brand-600"
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${ids}-format`} className="text-sm font-medium">
              Format
            </label>
            <select
              id={`${ids}-format`}
              value={format}
              onChange={(e) => setFormat(e.target.value as (typeof SPEECH_FORMATS)[number])}
              className={selectClass}
            >
              {SPEECH_FORMATS.map((id) => (
                <option key={id} value={id}>
                  {id.toUpperCase()}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending || characters === 0 || characters > MAX}>
            {pending ? "Sending…" : "Generate"}
          </Button>
        </div>
        {error && (
          <p
            id={`${ids}-error`}
            role="alert"
            className="text-sm text-red-700 dark:text-red-400"
            data-testid="form-error"
          >
            {error}
          </p>
        )}
      </form>
      {jobs.length > 0 && (
        <JobList
          jobs={jobs}
          label="Jobs from this page"
          onRemoved={(id) => setJobs((all) => all.filter((j) => j.id !== id))}
        />
      )}
    </div>
  );
}
