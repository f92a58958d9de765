/**
 * The admin gate for /api/admin/*: an admin's session, or an API key with the admin scope whose
 * owner is an admin. The role is read from the database on every request (a session's JWT may
 * be older than a demotion), so a demoted admin is refused on their next request.
 */
import { getDatabase } from "@/app/_server/db/client";
import { findUserById } from "@/app/_server/db/queries/users";
import { type ApiCaller, requireApiUser } from "@/app/_server/http/require-user";
import { ApiError } from "@/lib/errors";
import { ADMIN_API_KEY_SCOPE } from "@/lib/schemas/api-keys";

export async function requireAdmin(request: Request): Promise<ApiCaller> {
  const caller = await requireApiUser(request, ADMIN_API_KEY_SCOPE);
  const record = await findUserById(await getDatabase(), { id: caller.id });
  if (record?.role !== "admin") throw new ApiError("forbidden", "admin", "This needs an administrator");
  return { ...caller, role: "admin" };
}
