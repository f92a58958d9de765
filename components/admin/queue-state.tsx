/** The backend's queue as the admin sees it: jobs by status, the caps, busy workers. */
import type { QueueState } from "@/lib/schemas/admin";

export function QueueStateView({ queue }: { queue: QueueState | null }) {
  if (!queue) {
    return (
      <p className="text-sm" data-testid="queue-unavailable">
        The backend is not answering; the queue state is unknown.
      </p>
    );
  }
  const items: [string, string | number][] = [
    ["Waiting", queue.jobs.queued],
    ["Running", queue.jobs.running],
    ["Succeeded", queue.jobs.succeeded],
    ["Failed", queue.jobs.failed],
    ["Canceled", queue.jobs.canceled],
    ["Busy workers", queue.workersBusy ?? "—"],
    ["Queue", queue.queue === "bullmq" ? "BullMQ (Redis)" : "embedded (database)"],
    ["Most waiting or running", queue.maxDepth],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="queue-state">
      {items.map(([label, value]) => (
        <div key={label} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
          <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="text-lg font-semibold">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
