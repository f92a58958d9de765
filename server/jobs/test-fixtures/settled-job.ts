/** Waits for a job to reach a terminal status (succeeded, failed or canceled) and returns its view. */
import { setTimeout as sleep } from "node:timers/promises";
import { type JobView, TERMINAL_STATUSES } from "@/lib/schemas/jobs";
import type { JobService } from "@/server/jobs/job-service";

export async function settledJob(
  jobs: Pick<JobService, "get">,
  userId: string,
  id: string,
  timeoutMs: number,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await jobs.get(userId, id);
    if (TERMINAL_STATUSES.has(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`job still ${view.status}`);
    await sleep(50);
  }
}
