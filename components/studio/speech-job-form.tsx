"use client";
/**
 * The studio's speech form: text with a live character count and the server's own text checks
 * inline, a voice with a sample, speed and format; "Preview" speaks short text in this browser
 * (use-tts-preview), "Generate" makes a backend job whose progress appears right below and
 * which starts playing with its first sentence, while the rest is still being made.
 */
import { useId, useMemo, useState } from "react";
import { JobList } from "@/components/jobs/job-list";
import { Button } from "@/components/ui/button";
import { LIMITS } from "@/lib/limits";
import type { JobView } from "@/lib/schemas/jobs";
import { SPEECH_FORMATS } from "@/lib/schemas/speech";
import { validateText } from "@/lib/text/validate-text";
import { KOKORO_VOICES } from "@/models/manifest";
import { type PreviewClip, PreviewResult } from "./preview-result";
import { PreviewStatus } from "./preview-status";
import { submitJob } from "./submit-job";
import { TextIssues } from "./text-issues";
import { useTtsPreview } from "./use-tts-preview";

const MAX = LIMITS.tts.FREE_MAX_CHARS;
const PREVIEW_MAX = LIMITS.tts.PREVIEW_MAX_CHARS;
/** What the sample button says in each voice. */
export const VOICE_SAMPLE_TEXT = "Hello! This is how I sound in Parla.";
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
  const [liveJobId, setLiveJobId] = useState<string>();
  const [speaking, setSpeaking] = useState(false);
  const [clip, setClip] = useState<PreviewClip | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const preview = useTtsPreview();
  const characters = [...input].length;

  // The same checks the server runs; "empty" is not worth shouting about while typing.
  const check = useMemo(() => validateText(input, { tier: "free" }), [input]);
  const issues = check.ok ? [] : check.issues.filter((issue) => issue.code !== "empty");
  const valid = check.ok;
  const tooLongForPreview = valid && characters > PREVIEW_MAX;
  // After an error the worker is gone and the next click starts a fresh one; "unavailable" is the server's word.
  const previewOff = preview.state.status === "unavailable";

  async function generate(event?: React.FormEvent) {
    event?.preventDefault();
    setPending(true);
    setError(null);
    const sent = await submitJob({
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "speech", input, voice, speed, format }),
    });
    setPending(false);
    if ("error" in sent) return setError(sent.error);
    setJobs((all) => [sent.job, ...all]);
    setLiveJobId(sent.job.id);
  }

  async function speakInBrowser(text: string, label: string) {
    setSpeaking(true);
    setPreviewError(null);
    try {
      const result = await preview.speak(text, voice, speed);
      setClip({ ...result, label, id: Date.now() });
    } catch (caught) {
      setPreviewError(caught instanceof Error ? caught.message : "The preview failed");
    } finally {
      setSpeaking(false);
    }
  }

  const describedBy = [`${ids}-count`, `${ids}-issues`, tooLongForPreview ? `${ids}-too-long` : ""]
    .filter(Boolean)
    .join(" ");

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
            aria-describedby={describedBy}
            aria-invalid={issues.length > 0 ? true : undefined}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm aria-[invalid]:border-red-600 dark:border-slate-700 dark:bg-slate-900"
            placeholder="Type or paste what Parla should say."
          />
          <p
            id={`${ids}-count`}
            className={`text-xs ${characters > MAX ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
            data-testid="character-count"
          >
            {characters.toLocaleString("en")} / {MAX.toLocaleString("en")} characters · preview up to{" "}
            {PREVIEW_MAX.toLocaleString("en")}
          </p>
          <TextIssues id={`${ids}-issues`} issues={issues} />
          {tooLongForPreview && (
            <p
              id={`${ids}-too-long`}
              className="text-xs text-amber-800 dark:text-amber-300"
              data-testid="preview-too-long"
            >
              Longer than the {PREVIEW_MAX}-character browser preview: Generate makes it a job on the backend.
            </p>
          )}
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1.5 sm:col-span-2">
            <label htmlFor={`${ids}-voice`} className="text-sm font-medium">
              Voice
            </label>
            <div className="flex gap-2">
              <select
                id={`${ids}-voice`}
                value={voice}
                onChange={(e) => setVoice(e.target.value)}
                className={`${selectClass} min-w-0 flex-1`}
              >
                {KOKORO_VOICES.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
              <Button
                type="button"
                variant="secondary"
                className="px-3"
                disabled={speaking || previewOff}
                aria-label={`Play a sample of ${voice}`}
                onClick={() => speakInBrowser(VOICE_SAMPLE_TEXT, `Sample of ${voice}`)}
              >
                Sample
              </Button>
            </div>
          </div>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${ids}-speed`} className="text-sm font-medium">
              Speed <output htmlFor={`${ids}-speed`}>{speed.toFixed(2)}×</output>
            </label>
            <input
              id={`${ids}-speed`}
              type="range"
              min={LIMITS.tts.SPEED_MIN}
              max={LIMITS.tts.SPEED_MAX}
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
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="button"
            variant="secondary"
            disabled={speaking || !valid || tooLongForPreview || previewOff}
            onClick={() => speakInBrowser(input, "Preview")}
          >
            {speaking ? "Speaking…" : "Preview"}
          </Button>
          <Button type="submit" disabled={pending || !valid}>
            {pending ? "Sending…" : "Generate"}
          </Button>
        </div>
        <PreviewStatus state={preview.state} />
        {previewError && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="preview-error">
            {previewError}
          </p>
        )}
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
      {clip && <PreviewResult key={clip.id} clip={clip} />}
      {jobs.length > 0 && (
        <JobList
          jobs={jobs}
          label="Jobs from this page"
          liveJobId={liveJobId}
          onRemoved={(id) => setJobs((all) => all.filter((j) => j.id !== id))}
        />
      )}
    </div>
  );
}
