/** PATCH /api/admin/users/:id {"role"?, "tier"?}: changes an account's role or tier (audited). */
import { z } from "zod";
import { updateUser } from "@/app/_server/admin/admin-actions";
import { adminRoute } from "@/app/_server/admin/admin-route";
import { readJson } from "@/app/_server/http/read-body";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { userUpdateSchema } from "@/lib/schemas/admin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const PATCH = adminRoute(async (request, { db, actor }, context: Context) => {
  const id = z.uuid().safeParse((await context.params).id);
  if (!id.success) throw new ApiError("not_found", "user", "No such account");
  const change = await readJson(request, userUpdateSchema, LIMITS.http.MAX_JSON_BODY_BYTES);
  const user = await updateUser(db, actor, id.data, change);
  return { id: user.id, email: user.email, role: user.role, tier: user.tier };
});
