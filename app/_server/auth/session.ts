/** Handler and page helpers: the authoritative auth check (proxy.ts only makes an optimistic one). */
import { notFound, redirect } from "next/navigation";
import { auth } from "@/app/_server/auth/auth";
import { blockList } from "@/app/_server/blocks/blocks";
import { getDatabase } from "@/app/_server/db/client";
import { findUserById } from "@/app/_server/db/queries/users";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: "user" | "admin";
}

export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id) return null;
  return { id: user.id, email: user.email, name: user.name ?? null, role: user.role };
}

/**
 * For pages: the signed-in user, or a redirect to sign-in that comes back here. A blocked
 * account is sent to /blocked, which says until when.
 */
export async function requireUserOrRedirect(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  if (await blockList().matchAccount(user.id)) redirect("/blocked");
  return user;
}

/**
 * For admin pages: the role is read from the database, not the session, so a demotion counts
 * at once. Anyone else gets the same 404 as a page that does not exist.
 */
export async function requireAdminOrNotFound(returnTo: string): Promise<SessionUser> {
  const user = await requireUserOrRedirect(returnTo);
  const record = await findUserById(await getDatabase(), { id: user.id });
  if (record?.role !== "admin") notFound();
  return { ...user, role: "admin" };
}
