/** POST /api/jobs/:id/share → {"url": "/r/<token>"}: a link that opens the result without an account. */
import { apiRoute } from "@/app/_server/http/api-route";
import { readJson } from "@/app/_server/http/read-body";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs, parseJobId } from "@/app/_server/jobs/backend-jobs";
import { LIMITS } from "@/lib/limits";
import { shareRequestSchema } from "@/lib/schemas/jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request, "results");
  const id = parseJobId((await context.params).id);
  // An empty body means "no expiry beyond the job's own".
  const hasBody =
    Number(request.headers.get("content-length") ?? "0") > 0 || request.headers.has("transfer-encoding");
  const body = hasBody ? await readJson(request, shareRequestSchema, LIMITS.http.MAX_JSON_BODY_BYTES) : {};
  return Response.json(await backendJobs.share(user.id, id, body), { status: 201 });
});
