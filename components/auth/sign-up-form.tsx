"use client";
import Link from "next/link";
import { useActionState } from "react";
import { signUpAction } from "@/app/(auth)/actions";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { IDLE_FORM } from "@/lib/form-state";
import { LIMITS } from "@/lib/limits";

export function SignUpForm() {
  const [state, action] = useActionState(signUpAction, IDLE_FORM);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message && (
        <Alert tone="error" testId="form-error">
          {state.message}
        </Alert>
      )}
      <TextField
        name="name"
        label="Name (optional)"
        autoComplete="name"
        defaultValue={state.values?.name}
        error={state.fieldErrors?.name}
      />
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
        autoComplete="new-password"
        required
        minLength={LIMITS.auth.PASSWORD_MIN_CHARS}
        hint={`At least ${LIMITS.auth.PASSWORD_MIN_CHARS} characters.`}
        error={state.fieldErrors?.password}
      />
      <SubmitButton pendingText="Creating account…">Create account</SubmitButton>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Already have an account?{" "}
        <Link href="/login" className="font-semibold text-brand-600 underline dark:text-brand-100">
          Sign in
        </Link>
      </p>
    </form>
  );
}
