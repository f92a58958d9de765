/** DELETE /api/shares/:token revokes one of the caller's share links at once. */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = apiRoute(async (request, context: { params: Promise<{ token: string }> }) => {
  const user = await requireApiUser(request, "results");
  return Response.json(await backendJobs.revokeShare(user.id, (await context.params).token));
});
