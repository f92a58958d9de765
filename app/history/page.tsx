import type { Metadata } from "next";
import { requireUserOrRedirect } from "@/app/_server/auth/session";
import { getDatabase } from "@/app/_server/db/client";
import { findUserById } from "@/app/_server/db/queries/users";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { HistoryList } from "@/components/jobs/history-list";
import { retentionDays } from "@/lib/limits";

export const metadata: Metadata = { title: "History · Parla" };

export default async function HistoryPage() {
  const user = await requireUserOrRedirect("/history");
  const [{ jobs }, account] = await Promise.all([
    backendJobs.list(user.id),
    findUserById(await getDatabase(), { id: user.id }),
  ]);
  const tier = account?.tier ?? "free";
  return (
    <div className="flex flex-col gap-6 py-10">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">History</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">
          Your jobs, newest first. On the {tier} plan, results are kept for {retentionDays(tier)} days from
          when you asked for them, then deleted with their links.
        </p>
      </div>
      <HistoryList initial={jobs} />
    </div>
  );
}
