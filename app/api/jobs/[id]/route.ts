/** GET /api/jobs/:id shows one of the caller's jobs; DELETE cancels it if active, else deletes it and its files. */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs, parseJobId } from "@/app/_server/jobs/backend-jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = apiRoute(async (request, context: Context) => {
  const user = await requireApiUser(request, "results");
  const id = parseJobId((await context.params).id);
  return Response.json(await backendJobs.get(user.id, id), { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = apiRoute(async (request, context: Context) => {
  const user = await requireApiUser(request, "results");
  const id = parseJobId((await context.params).id);
  return Response.json(await backendJobs.remove(user.id, id));
});
