import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/app/_server/auth/session";
import { AuthShell } from "@/components/auth/auth-shell";
import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { safeReturnPath } from "@/lib/form-state";
import { getConfig } from "@/lib/node/config";

export const metadata: Metadata = { title: "Sign in · Parla" };

const NOTICES: Record<string, string> = {
  signedOut: "You are signed out.",
  passwordChanged: "Your password was changed. Sign in with the new one.",
  deleted: "Your account and everything it owned were deleted.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  if (await currentUser()) redirect(next);
  const { oauth } = getConfig();
  const notice = Object.keys(NOTICES).find((key) => params[key]);
  return (
    <AuthShell title="Sign in" subtitle="Welcome back to your speech studio.">
      <div className="flex flex-col gap-4">
        {notice && (
          <Alert tone="info" testId="notice">
            {NOTICES[notice]}
          </Alert>
        )}
        <SignInForm next={next} />
        <OAuthButtons
          providers={[
            ...(oauth.github ? ["github" as const] : []),
            ...(oauth.google ? ["google" as const] : []),
          ]}
          next={next}
        />
      </div>
    </AuthShell>
  );
}
