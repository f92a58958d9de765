"use server";
/**
 * The admin page's actions. Each re-checks the admin role in the database (a server action is
 * a public endpoint), then calls the same audited actions as /api/admin/*.
 */
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { type AdminActor, addBlock, liftBlock, updateUser } from "@/app/_server/admin/admin-actions";
import { currentUser } from "@/app/_server/auth/session";
import { getDatabase } from "@/app/_server/db/client";
import { findUserById } from "@/app/_server/db/queries/users";
import { ApiError } from "@/lib/errors";
import { type FormState, fieldErrorsFrom } from "@/lib/form-state";
import { getConfig } from "@/lib/node/config";
import { clientIpAddress } from "@/lib/rate-limit/identity";
import { blockRequestSchema, userUpdateSchema } from "@/lib/schemas/admin";

async function adminActor(): Promise<AdminActor | undefined> {
  const user = await currentUser();
  const record = user ? await findUserById(await getDatabase(), { id: user.id }) : undefined;
  if (record?.role !== "admin") return undefined;
  const forwardedFor = (await headers()).get("x-forwarded-for");
  return {
    id: record.id,
    email: record.email,
    ip: clientIpAddress(forwardedFor, getConfig().trustProxyHops),
  };
}

const NOT_ADMIN: FormState = { status: "error", message: "This needs an administrator. Sign in again." };

/** ApiErrors carry messages written to be shown; anything else is rethrown to the error page. */
function failure(error: unknown): FormState {
  if (!(error instanceof ApiError)) throw error;
  const fieldErrors = Object.fromEntries((error.issues ?? []).map((issue) => [issue.path, issue.message]));
  return { status: "error", message: error.message, fieldErrors };
}

const DURATIONS: Record<string, number | undefined> = {
  never: undefined,
  "1h": 60 * 60,
  "1d": 24 * 60 * 60,
  "7d": 7 * 24 * 60 * 60,
  "30d": 30 * 24 * 60 * 60,
};

export async function addBlockAction(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  if (!actor) return NOT_ADMIN;
  const duration = String(form.get("duration") ?? "never");
  const parsed = blockRequestSchema.safeParse({
    kind: form.get("kind"),
    target: form.get("target"),
    reason: form.get("reason") ?? undefined,
    expiresInSeconds: DURATIONS[duration],
  });
  if (!parsed.success) return { status: "error", fieldErrors: fieldErrorsFrom(parsed.error.issues) };
  try {
    await addBlock(await getDatabase(), actor, parsed.data);
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/admin");
  return { status: "success", message: `Blocked ${parsed.data.target}` };
}

export async function liftBlockAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const id = form.get("id");
  if (!actor || typeof id !== "string") return;
  await liftBlock(await getDatabase(), actor, id).catch((error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
  });
  revalidatePath("/admin");
}

export async function updateUserAction(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await adminActor();
  if (!actor) return NOT_ADMIN;
  const parsed = userUpdateSchema.safeParse({ role: form.get("role"), tier: form.get("tier") });
  const id = form.get("id");
  if (!parsed.success || typeof id !== "string")
    return { status: "error", message: "Choose a role and a tier" };
  try {
    const user = await updateUser(await getDatabase(), actor, id, parsed.data);
    revalidatePath("/admin");
    return { status: "success", message: `Saved ${user.email}: ${user.role}, ${user.tier}` };
  } catch (error) {
    return failure(error);
  }
}

/** The users table's "Block" button: the account, until lifted, with a reason for the list. */
export async function blockAccountAction(form: FormData): Promise<void> {
  const actor = await adminActor();
  const id = form.get("id");
  if (!actor || typeof id !== "string") return;
  await addBlock(await getDatabase(), actor, {
    kind: "account",
    target: id,
    reason: "Blocked from the users list",
  }).catch((error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
  });
  revalidatePath("/admin");
}
