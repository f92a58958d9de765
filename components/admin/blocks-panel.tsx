"use client";
/** Blocks in force, with a form to add one (a network range or an account) and a lift button each. */
import { useActionState } from "react";
import type { BlockView } from "@/app/_server/admin/admin-views";
import { addBlockAction, liftBlockAction } from "@/app/admin/actions";
import { Alert } from "@/components/ui/alert";
import { Button, SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { IDLE_FORM } from "@/lib/form-state";
import { AdminTable, Cell, when } from "./table";

const selectClass =
  "rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm dark:border-slate-700 dark:bg-slate-900";

export function BlocksPanel({ blocks }: { blocks: BlockView[] }) {
  const [state, action] = useActionState(addBlockAction, IDLE_FORM);
  return (
    <div className="flex flex-col gap-4">
      <form action={action} className="grid gap-3 sm:grid-cols-2" aria-label="Add a block">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="block-kind" className="text-sm font-medium">
            Block
          </label>
          <select id="block-kind" name="kind" className={selectClass} defaultValue="network">
            <option value="network">IP address or range</option>
            <option value="account">Account</option>
          </select>
        </div>
        <TextField
          name="target"
          id="block-target"
          label="Address, range or account"
          hint="203.0.113.7, 198.51.100.0/24, 2001:db8::/32, or an email"
          error={state.fieldErrors?.target}
          required
        />
        <TextField
          name="reason"
          id="block-reason"
          label="Reason (optional)"
          error={state.fieldErrors?.reason}
        />
        <div className="flex flex-col gap-1.5">
          <label htmlFor="block-duration" className="text-sm font-medium">
            For
          </label>
          <select id="block-duration" name="duration" className={selectClass} defaultValue="never">
            <option value="1h">1 hour</option>
            <option value="1d">1 day</option>
            <option value="7d">7 days</option>
            <option value="30d">30 days</option>
            <option value="never">Until lifted</option>
          </select>
        </div>
        <div className="sm:col-span-2">
          <SubmitButton pendingText="Blocking…">Add block</SubmitButton>
        </div>
        {state.message && (
          <div className="sm:col-span-2">
            <Alert tone={state.status === "error" ? "error" : "info"}>{state.message}</Alert>
          </div>
        )}
      </form>
      {blocks.length === 0 ? (
        <p className="text-sm">Nothing is blocked.</p>
      ) : (
        <AdminTable label="Blocks in force" head={["What", "Kind", "Reason", "Placed", "Until (UTC)", ""]}>
          {blocks.map((block) => (
            <tr key={block.id} data-testid="block-row">
              <Cell>
                <code className="font-mono">{block.label}</code>
              </Cell>
              <Cell>
                {block.kind === "api_key" ? "API key" : block.kind}
                {block.source === "automatic" ? " (automatic)" : ""}
              </Cell>
              <Cell>{block.reason ?? "—"}</Cell>
              <Cell>{when(block.createdAt)}</Cell>
              <Cell>{block.expiresAt ? when(block.expiresAt) : "lifted by hand"}</Cell>
              <Cell>
                <form action={liftBlockAction}>
                  <input type="hidden" name="id" value={block.id} />
                  <Button
                    type="submit"
                    variant="secondary"
                    className="py-1"
                    aria-label={`Lift block on ${block.label}`}
                  >
                    Lift
                  </Button>
                </form>
              </Cell>
            </tr>
          ))}
        </AdminTable>
      )}
    </div>
  );
}
