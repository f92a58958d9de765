/** DELETE /api/admin/blocks/:id lifts a block (admin-placed or automatic); enforced at once. */
import { z } from "zod";
import { liftBlock } from "@/app/_server/admin/admin-actions";
import { adminRoute } from "@/app/_server/admin/admin-route";
import { ApiError } from "@/lib/errors";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const DELETE = adminRoute(async (_request, { db, actor }, context: Context) => {
  const id = z.uuid().safeParse((await context.params).id);
  if (!id.success) throw new ApiError("not_found", "block", "No such block");
  const block = await liftBlock(db, actor, id.data);
  return { id: block.id, lifted: true };
});
