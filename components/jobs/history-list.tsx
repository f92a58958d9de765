"use client";
/** The person's jobs, newest first; each active one follows its own live progress. */
import { useState } from "react";
import type { JobView } from "@/lib/schemas/jobs";
import { JobList } from "./job-list";

export function HistoryList({ initial }: { initial: JobView[] }) {
  const [jobs, setJobs] = useState(initial);
  if (jobs.length === 0) {
    return (
      <p className="rounded-2xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-400">
        Nothing here yet. Generate speech or transcribe a recording, and it will appear here.
      </p>
    );
  }
  return (
    <JobList
      jobs={jobs}
      label="Your jobs"
      onRemoved={(id) => setJobs((all) => all.filter((j) => j.id !== id))}
    />
  );
}
