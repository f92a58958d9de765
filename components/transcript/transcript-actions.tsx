"use client";
/** Copy the transcript's text, download it in each format the job wrote, and whatever else fits (share). */
import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import type { JobResult } from "@/lib/schemas/jobs";
import { TRANSCRIPT_DOWNLOADS } from "@/lib/transcript/verbose-json";

const LINK =
  "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";

export function TranscriptActions({
  text,
  files,
  filesBase,
  children,
}: {
  text: string;
  files: JobResult["files"];
  filesBase: string;
  children?: ReactNode;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const downloads = TRANSCRIPT_DOWNLOADS.filter(({ name }) => files.some((file) => file.name === name));

  async function copy() {
    try {
      await navigator.clipboard.writeText(text.trim());
      setMessage("Copied the text.");
    } catch {
      setMessage("This browser did not allow copying: select the text and copy it yourself.");
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="secondary" className="py-1.5" onClick={copy}>
          Copy text
        </Button>
        {children}
        {message && (
          <span role="status" className="text-xs text-slate-600 dark:text-slate-400">
            {message}
          </span>
        )}
      </div>
      <ul className="flex flex-wrap gap-2" aria-label="Download the transcript">
        {downloads.map(({ name, label }) => (
          <li key={name}>
            <a href={`${filesBase}/${name}`} download={name} className={`inline-block ${LINK}`}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
