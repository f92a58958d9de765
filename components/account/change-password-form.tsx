"use client";
import { useActionState } from "react";
import { changePasswordAction } from "@/app/account/actions";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { IDLE_FORM } from "@/lib/form-state";
import { LIMITS } from "@/lib/limits";

export function ChangePasswordForm() {
  const [state, action] = useActionState(changePasswordAction, IDLE_FORM);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <TextField
        name="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        required
        error={state.fieldErrors?.currentPassword}
      />
      <TextField
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        required
        hint={`At least ${LIMITS.auth.PASSWORD_MIN_CHARS} characters. You will sign in again everywhere.`}
        error={state.fieldErrors?.newPassword}
      />
      <TextField
        name="confirmPassword"
        type="password"
        label="Repeat new password"
        autoComplete="new-password"
        required
        error={state.fieldErrors?.confirmPassword}
      />
      <div>
        <SubmitButton pendingText="Changing…">Change password</SubmitButton>
      </div>
    </form>
  );
}
