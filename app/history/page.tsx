import type { Metadata } from "next";
import { requireUserOrRedirect } from "@/app/_server/auth/session";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { HistoryList } from "@/components/jobs/history-list";

export const metadata: Metadata = { title: "History · Parla" };

export default async function HistoryPage() {
  const user = await requireUserOrRedirect("/history");
  const { jobs } = await backendJobs.list(user.id);
  return (
    <div className="flex flex-col gap-6 py-10">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">History</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">
          Your jobs, newest first. Results are kept for 7 days, then deleted with their links.
        </p>
      </div>
      <HistoryList initial={jobs} />
    </div>
  );
}
