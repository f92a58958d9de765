/** Handler and page helpers: the authoritative auth check (proxy.ts only makes an optimistic one). */
import { redirect } from "next/navigation";
import { auth } from "@/app/_server/auth/auth";

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

/** For pages: the signed-in user, or a redirect to sign-in that comes back here. */
export async function requireUserOrRedirect(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return user;
}
