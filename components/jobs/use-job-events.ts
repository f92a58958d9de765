"use client";
/** Follows a job over Server-Sent Events while it is active; the view updates as the worker reports. */
import { useEffect, useState } from "react";
import { type JobView, jobViewSchema, TERMINAL_STATUSES } from "@/lib/schemas/jobs";

export function useJobEvents(initial: JobView): JobView {
  const [job, setJob] = useState(initial);
  const active = !TERMINAL_STATUSES.has(job.status);

  useEffect(() => {
    if (!active) return;
    const source = new EventSource(`/api/jobs/${initial.id}/events`);
    source.addEventListener("job", (event) => {
      const parsed = jobViewSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (!parsed.success) return;
      setJob(parsed.data);
      if (TERMINAL_STATUSES.has(parsed.data.status)) source.close();
    });
    source.addEventListener("deleted", () => source.close());
    return () => source.close();
  }, [active, initial.id]);

  return job;
}
