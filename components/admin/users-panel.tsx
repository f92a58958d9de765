"use client";
/** Accounts: search, change role and tier, block or unblock. */
import { useActionState } from "react";
import type { UserView } from "@/app/_server/admin/admin-views";
import { blockAccountAction, liftBlockAction, updateUserAction } from "@/app/admin/actions";
import { Alert } from "@/components/ui/alert";
import { Button, SubmitButton } from "@/components/ui/button";
import { IDLE_FORM } from "@/lib/form-state";
import { USER_ROLES, USER_TIERS } from "@/lib/schemas/admin";
import { AdminTable, Cell, when } from "./table";

const selectClass =
  "rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

function UserRow({ user }: { user: UserView }) {
  const [state, action] = useActionState(updateUserAction, IDLE_FORM);
  const formId = `user-${user.id}`;
  return (
    <tr data-testid="user-row" data-email={user.email}>
      <Cell>
        {user.email}
        {user.block && (
          <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900 dark:bg-red-950 dark:text-red-100">
            blocked
          </span>
        )}
        {state.message && (
          <span role={state.status === "error" ? "alert" : "status"} className="mt-1 block text-xs">
            {state.message}
          </span>
        )}
      </Cell>
      <Cell>
        <select
          form={formId}
          name="role"
          defaultValue={user.role}
          aria-label={`Role of ${user.email}`}
          className={selectClass}
        >
          {USER_ROLES.map((role) => (
            <option key={role}>{role}</option>
          ))}
        </select>
      </Cell>
      <Cell>
        <select
          form={formId}
          name="tier"
          defaultValue={user.tier}
          aria-label={`Tier of ${user.email}`}
          className={selectClass}
        >
          {USER_TIERS.map((tier) => (
            <option key={tier}>{tier}</option>
          ))}
        </select>
      </Cell>
      <Cell>{when(user.createdAt)}</Cell>
      <Cell>
        <div className="flex flex-wrap gap-2">
          <form id={formId} action={action}>
            <input type="hidden" name="id" value={user.id} />
            <SubmitButton pendingText="Saving…" className="py-1" aria-label={`Save ${user.email}`}>
              Save
            </SubmitButton>
          </form>
          {user.block ? (
            <form action={liftBlockAction}>
              <input type="hidden" name="id" value={user.block.id} />
              <Button type="submit" variant="secondary" className="py-1" aria-label={`Unblock ${user.email}`}>
                Unblock
              </Button>
            </form>
          ) : (
            <form action={blockAccountAction}>
              <input type="hidden" name="id" value={user.id} />
              <Button type="submit" variant="danger" className="py-1" aria-label={`Block ${user.email}`}>
                Block
              </Button>
            </form>
          )}
        </div>
      </Cell>
    </tr>
  );
}

export function UsersPanel({ users, query }: { users: UserView[]; query: string }) {
  return (
    <div className="flex flex-col gap-4">
      <search>
        <form method="get" className="flex flex-wrap items-end gap-2">
          <div className="flex flex-col gap-1.5">
            <label htmlFor="user-search" className="text-sm font-medium">
              Find accounts
            </label>
            <input
              id="user-search"
              name="q"
              type="search"
              defaultValue={query}
              placeholder="part of an email or name"
              className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base shadow-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
      </search>
      {users.length === 0 ? (
        <Alert tone="info">No accounts match.</Alert>
      ) : (
        <AdminTable label="Accounts" head={["Email", "Role", "Tier", "Created (UTC)", "Actions"]}>
          {users.map((user) => (
            <UserRow key={user.id} user={user} />
          ))}
        </AdminTable>
      )}
    </div>
  );
}
