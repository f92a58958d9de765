"use client";
import { useActionState } from "react";
import { deleteAccountAction } from "@/app/account/actions";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { IDLE_FORM } from "@/lib/form-state";

export function DeleteAccountForm() {
  const [state, action] = useActionState(deleteAccountAction, IDLE_FORM);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      {state.message && <Alert tone="error">{state.message}</Alert>}
      <TextField
        name="confirm"
        label='Type "delete my account" to confirm'
        autoComplete="off"
        required
        error={state.fieldErrors?.confirm}
      />
      <div>
        <SubmitButton variant="danger" pendingText="Deleting…">
          Delete my account and data
        </SubmitButton>
      </div>
    </form>
  );
}
