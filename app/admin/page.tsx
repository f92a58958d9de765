import type { Metadata } from "next";
import { auditView, blocksView, limitsView, queueView, usersView } from "@/app/_server/admin/admin-views";
import { requireAdminOrNotFound } from "@/app/_server/auth/session";
import { getDatabase } from "@/app/_server/db/client";
import { AuditLog } from "@/components/admin/audit-log";
import { BlocksPanel } from "@/components/admin/blocks-panel";
import { LimitsTable } from "@/components/admin/limits-table";
import { QueueStateView } from "@/components/admin/queue-state";
import { UsersPanel } from "@/components/admin/users-panel";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Admin · Parla" };
export const dynamic = "force-dynamic";

/** The operator's page: limits in force, queue state, blocks, accounts and the audit log. */
export default async function AdminPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  await requireAdminOrNotFound("/admin");
  const raw = (await searchParams).q;
  const query = (typeof raw === "string" ? raw : "").trim().slice(0, 254);
  const db = await getDatabase();
  const [queue, blocks, users, audit] = await Promise.all([
    queueView().catch(() => null),
    blocksView(db),
    usersView(db, query || undefined),
    auditView(db),
  ]);
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Admin</h1>
      <Card title="Queue" description="Jobs on the backend right now.">
        <QueueStateView queue={queue} />
      </Card>
      <Card
        title="Blocks"
        description="Refused on every route at once: addresses and ranges at the edge, accounts and keys where the caller is known."
      >
        <BlocksPanel blocks={blocks} />
      </Card>
      <Card title="Accounts" description="Change a role or a tier, or block an account.">
        <UsersPanel users={users} query={query} />
      </Card>
      <Card title="Limits in force" description="From the policy table, lib/limits.ts.">
        <LimitsTable limits={limitsView()} />
      </Card>
      <Card title="Audit log" description="Every admin action, newest first.">
        <AuditLog entries={audit} />
      </Card>
    </div>
  );
}
