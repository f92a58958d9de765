import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/app/_server/auth/session";
import { AuthShell } from "@/components/auth/auth-shell";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const metadata: Metadata = { title: "Create account · Parla" };

export default async function RegisterPage() {
  if (await currentUser()) redirect("/");
  return (
    <AuthShell title="Create your account" subtitle="Your voice and your words stay yours.">
      <SignUpForm />
    </AuthShell>
  );
}
