"use client";
/**
 * The settings a transcription job takes (lib/schemas/transcription.ts): language or detection,
 * transcribe or translate to English, word timestamps, and an initial prompt for Whisper.
 */
import { useId } from "react";
import { WHISPER_LANGUAGES } from "@/lib/transcript/languages";

export interface TranscriptionChoices {
  /** A Whisper language code, or "" to detect. */
  language: string;
  task: "transcribe" | "translate";
  wordTimestamps: boolean;
  prompt: string;
}

export const DEFAULT_CHOICES: TranscriptionChoices = {
  language: "",
  task: "transcribe",
  wordTimestamps: false,
  prompt: "",
};

/** The backend's limit on the prompt (transcriptionOptionsSchema). */
const PROMPT_MAX_CHARS = 1000;

const LANGUAGE_OPTIONS = Object.entries(WHISPER_LANGUAGES)
  .map(([code, name]) => ({ code, name: name.replace(/(^|\s)\S/g, (letter) => letter.toUpperCase()) }))
  .sort((a, b) => a.name.localeCompare(b.name, "en"));

/** The choices as the multipart fields /api/jobs reads (OpenAI's names). */
export function appendChoices(body: FormData, choices: TranscriptionChoices) {
  body.set("task", choices.task);
  if (choices.language) body.set("language", choices.language);
  if (choices.prompt.trim()) body.set("prompt", choices.prompt.trim());
  body.append("timestamp_granularities[]", "segment");
  if (choices.wordTimestamps) body.append("timestamp_granularities[]", "word");
}

const FIELD =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm dark:border-slate-700 dark:bg-slate-900";

export function TranscriptionOptions({
  choices,
  onChange,
}: {
  choices: TranscriptionChoices;
  onChange: (choices: TranscriptionChoices) => void;
}) {
  const ids = useId();
  const set = (patch: Partial<TranscriptionChoices>) => onChange({ ...choices, ...patch });
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1.5">
        <label htmlFor={`${ids}-language`} className="text-sm font-medium">
          Spoken language
        </label>
        <select
          id={`${ids}-language`}
          value={choices.language}
          onChange={(event) => set({ language: event.target.value })}
          className={FIELD}
        >
          <option value="">Detect automatically</option>
          {LANGUAGE_OPTIONS.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-2">
        <legend className="mb-1 text-sm font-medium">Output</legend>
        {(["transcribe", "translate"] as const).map((value) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name={`${ids}-task`}
              value={value}
              checked={choices.task === value}
              onChange={() => set({ task: value })}
              className="accent-brand-600"
            />
            {value === "transcribe" ? "Transcript in the spoken language" : "Translation to English"}
          </label>
        ))}
      </fieldset>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">More options</summary>
        <div className="mt-3 flex flex-col gap-4">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={choices.wordTimestamps}
              onChange={(event) => set({ wordTimestamps: event.target.checked })}
              className="accent-brand-600"
            />
            Word timestamps too (segments always have them)
          </label>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={`${ids}-prompt`} className="font-medium">
              Initial prompt (optional)
            </label>
            <textarea
              id={`${ids}-prompt`}
              value={choices.prompt}
              maxLength={PROMPT_MAX_CHARS}
              rows={2}
              aria-describedby={`${ids}-prompt-hint`}
              onChange={(event) => set({ prompt: event.target.value })}
              className={FIELD}
            />
            <p id={`${ids}-prompt-hint`} className="text-xs text-slate-600 dark:text-slate-400">
              Names, spellings or a style for Whisper to follow, up to {PROMPT_MAX_CHARS} characters.
            </p>
          </div>
        </div>
      </details>
    </div>
  );
}
