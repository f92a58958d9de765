/** GET /api/admin/users[?q=part of an email or name]: accounts with role, tier and block, newest first. */
import { adminRoute } from "@/app/_server/admin/admin-route";
import { usersView } from "@/app/_server/admin/admin-views";
import { userSearchSchema } from "@/lib/schemas/admin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute(async (request, { db }) => {
  const { q } = userSearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { users: await usersView(db, q || undefined) };
});
