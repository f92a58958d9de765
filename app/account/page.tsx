import type { Metadata } from "next";
import { requireUserOrRedirect } from "@/app/_server/auth/session";
import { getDatabase } from "@/app/_server/db/client";
import { listApiKeys } from "@/app/_server/db/queries/api-keys";
import { findUserById } from "@/app/_server/db/queries/users";
import { ApiKeys } from "@/components/account/api-keys";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Account · Parla" };

export default async function AccountPage() {
  const user = await requireUserOrRedirect("/account");
  const db = await getDatabase();
  const [record, keys] = await Promise.all([findUserById(db, { id: user.id }), listApiKeys(db, user.id)]);
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6 py-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Your account</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="account-email">
          Signed in as {user.email}
          {user.role === "admin" ? " (admin)" : ""}
        </p>
      </div>
      {record?.hasPassword ? (
        <Card title="Change password" description="Changing it signs you out on every device.">
          <ChangePasswordForm />
        </Card>
      ) : (
        <Card
          title="Password"
          description="You sign in with GitHub or Google, so there is no password to change."
        >
          <p className="text-sm">Nothing to do here.</p>
        </Card>
      )}
      <Card
        title="API keys"
        description="For scripts and the API: send one as Authorization: Bearer. Each key does only what its scopes allow."
      >
        <ApiKeys
          keys={keys.map((key) => ({
            id: key.id,
            prefix: key.prefix,
            scopes: key.scopes,
            createdAt: key.createdAt.toISOString(),
            lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
            revoked: key.revokedAt !== null,
          }))}
        />
      </Card>
      <Card
        title="Delete account"
        description="Deletes your account and everything it owns: recordings, transcripts, audio and share links. This cannot be undone."
      >
        <DeleteAccountForm />
      </Card>
    </div>
  );
}
