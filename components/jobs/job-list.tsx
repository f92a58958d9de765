"use client";
/** A list of job cards; a deleted job leaves the list. Used by the history and by each studio form. */
import type { JobView } from "@/lib/schemas/jobs";
import { JobCard } from "./job-card";

export function JobList({
  jobs,
  label,
  onRemoved,
  liveJobId,
}: {
  jobs: JobView[];
  label: string;
  onRemoved: (id: string) => void;
  /** The studio's newest speech job, played while it is made (one at a time, never a chorus). */
  liveJobId?: string;
}) {
  return (
    <ul className="flex flex-col gap-3" aria-label={label}>
      {jobs.map((job) => (
        <JobCard key={job.id} initial={job} onRemoved={onRemoved} live={job.id === liveJobId} />
      ))}
    </ul>
  );
}
