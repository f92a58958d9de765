"use server";
/** Account page actions for API keys: create one (shown once) or revoke one of your own. */
import { revalidatePath } from "next/cache";
import { currentUser } from "@/app/_server/auth/session";
import { getDatabase } from "@/app/_server/db/client";
import { createApiKey, revokeApiKey } from "@/app/_server/db/queries/api-keys";
import type { FormState } from "@/lib/form-state";
import { apiKeyScopesSchema } from "@/lib/schemas/api-keys";

export type KeyFormState = FormState & { key?: string };

export async function createKeyAction(_previous: KeyFormState, form: FormData): Promise<KeyFormState> {
  const user = await currentUser();
  if (!user) return { status: "error", message: "Your session has ended. Sign in again." };
  const scopes = apiKeyScopesSchema.safeParse(form.getAll("scopes").map(String).join(","));
  if (!scopes.success) return { status: "error", fieldErrors: { scopes: "Choose at least one scope" } };
  const { key } = await createApiKey(await getDatabase(), { userId: user.id, scopes: scopes.data });
  revalidatePath("/account");
  return { status: "success", key };
}

export async function revokeKeyAction(form: FormData): Promise<void> {
  const user = await currentUser();
  const id = form.get("id");
  if (!user || typeof id !== "string") return;
  await revokeApiKey(await getDatabase(), { id, userId: user.id });
  revalidatePath("/account");
}
