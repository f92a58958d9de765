/** GET /api/jobs/:id/files/:name downloads one of the caller's result files (or one range of it). */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs, parseJobId } from "@/app/_server/jobs/backend-jobs";
import { passFile, rangeHeader } from "@/app/_server/jobs/pass-file";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request, context: { params: Promise<{ id: string; name: string }> }) => {
  const user = await requireApiUser(request, "results");
  const { id, name } = await context.params;
  const file = await backendJobs.file(user.id, parseJobId(id), name, rangeHeader(request));
  return passFile(file, name, "private, no-store");
});
