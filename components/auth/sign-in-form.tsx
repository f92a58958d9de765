"use client";
import Link from "next/link";
import { useActionState } from "react";
import { signInAction } from "@/app/(auth)/actions";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { IDLE_FORM } from "@/lib/form-state";

export function SignInForm({ next }: { next: string }) {
  const [state, action] = useActionState(signInAction, IDLE_FORM);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message && (
        <Alert tone="error" testId="form-error">
          {state.message}
        </Alert>
      )}
      <input type="hidden" name="next" value={next} />
      <TextField
        name="email"
        type="email"
        label="Email"
        autoComplete="email"
        required
        defaultValue={state.values?.email}
        error={state.fieldErrors?.email}
      />
      <TextField
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        required
        error={state.fieldErrors?.password}
      />
      <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        New to Parla?{" "}
        <Link href="/register" className="font-semibold text-brand-600 underline dark:text-brand-100">
          Create an account
        </Link>
      </p>
    </form>
  );
}
