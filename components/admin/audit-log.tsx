/** The latest admin actions: who did what, to what, when, from which address. */
import type { AuditView } from "@/app/_server/admin/admin-views";
import { AdminTable, Cell, when } from "./table";

function describe(detail: Record<string, unknown> | null): string {
  if (!detail) return "";
  return Object.entries(detail)
    .filter(([key, value]) => key !== "blockId" && value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(" · ");
}

export function AuditLog({ entries }: { entries: AuditView[] }) {
  if (entries.length === 0) return <p className="text-sm">No admin actions yet.</p>;
  return (
    <AdminTable label="Audit log" head={["When (UTC)", "Who", "Action", "Target", "Details", "From"]}>
      {entries.map((entry) => (
        <tr key={entry.id} data-testid="audit-entry">
          <Cell>{when(entry.createdAt)}</Cell>
          <Cell>{entry.actorEmail}</Cell>
          <Cell>{entry.action}</Cell>
          <Cell>{entry.target}</Cell>
          <Cell>{describe(entry.detail)}</Cell>
          <Cell>{entry.ip ?? "—"}</Cell>
        </tr>
      ))}
    </AdminTable>
  );
}
