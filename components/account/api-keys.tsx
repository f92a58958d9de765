"use client";
/** The account's API keys: create one with its scopes (shown once), see when each was used, revoke. */
import { useActionState } from "react";
import { createKeyAction, type KeyFormState, revokeKeyAction } from "@/app/account/key-actions";
import { Alert } from "@/components/ui/alert";
import { Button, SubmitButton } from "@/components/ui/button";
import { type AnyApiKeyScope, API_KEY_SCOPES } from "@/lib/schemas/api-keys";

export interface ApiKeyRow {
  id: string;
  prefix: string;
  scopes: AnyApiKeyScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString("en") : "never");

export function ApiKeys({ keys }: { keys: ApiKeyRow[] }) {
  const [state, action] = useActionState<KeyFormState, FormData>(createKeyAction, { status: "idle" });
  return (
    <div className="flex flex-col gap-4">
      <form action={action} className="flex flex-col gap-3">
        <fieldset
          className="flex flex-wrap gap-4"
          aria-describedby={state.fieldErrors?.scopes ? "scopes-error" : undefined}
        >
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                defaultChecked
                className="accent-brand-600"
              />
              {scope}
            </label>
          ))}
        </fieldset>
        {state.fieldErrors?.scopes && (
          <p id="scopes-error" className="text-sm text-red-700 dark:text-red-400">
            {state.fieldErrors.scopes}
          </p>
        )}
        <div>
          <SubmitButton pendingText="Creating…">Create API key</SubmitButton>
        </div>
        {state.key && (
          <Alert tone="info">
            <span className="block">Copy this key now: it is shown only once.</span>
            <code className="mt-1 block break-all font-mono text-xs" data-testid="new-api-key">
              {state.key}
            </code>
          </Alert>
        )}
      </form>
      {keys.length > 0 && (
        <ul
          className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
          aria-label="Your API keys"
        >
          {keys.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
              <span>
                <code className="font-mono">{key.prefix}…</code> · {key.scopes.join(", ")} · last used{" "}
                {when(key.lastUsedAt)}
              </span>
              {key.revoked ? (
                <span className="text-slate-600 dark:text-slate-400">revoked</span>
              ) : (
                <form action={revokeKeyAction}>
                  <input type="hidden" name="id" value={key.id} />
                  <Button
                    type="submit"
                    variant="secondary"
                    className="py-1"
                    aria-label={`Revoke ${key.prefix}`}
                  >
                    Revoke
                  </Button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
