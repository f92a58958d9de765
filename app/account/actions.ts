"use server";
/** Account page actions: change password (ends other sessions) and delete everything. */
import { signOut } from "@/app/_server/auth/auth";
import { currentUser } from "@/app/_server/auth/session";
import { getDatabase } from "@/app/_server/db/client";
import { deleteUser, setPassword, verifyCredentials } from "@/app/_server/db/queries/users";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { type FormState, fieldErrorsFrom } from "@/lib/form-state";
import { changePasswordSchema, deleteAccountSchema } from "@/lib/schemas/account";

const SIGNED_OUT: FormState = { status: "error", message: "Your session has ended. Sign in again." };

export async function changePasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = changePasswordSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsFrom(parsed.error.issues) };
  const db = await getDatabase();
  const verified = await verifyCredentials(db, { email: user.email, password: parsed.data.currentPassword });
  if (!verified)
    return { status: "error", fieldErrors: { currentPassword: "Your current password is not right" } };
  await setPassword(db, { userId: user.id, password: parsed.data.newPassword });
  // The session version moved on, so this cookie is stale too: sign in again with the new password.
  await signOut({ redirectTo: "/login?passwordChanged=1" });
  return { status: "success" };
}

export async function deleteAccountAction(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await currentUser();
  if (!user) return SIGNED_OUT;
  const parsed = deleteAccountSchema.safeParse({ confirm: form.get("confirm") });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsFrom(parsed.error.issues) };
  // Files first: if the backend cannot remove them now, the account stays and nothing is orphaned.
  try {
    await backendJobs.deleteAllData(user.id);
  } catch {
    return {
      status: "error",
      message: "Your data could not be deleted right now. Nothing was removed; try again.",
    };
  }
  await deleteUser(await getDatabase(), { userId: user.id });
  await signOut({ redirectTo: "/login?deleted=1" });
  return { status: "success" };
}
