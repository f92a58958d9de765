/** GET /api/jobs/:id/events: Server-Sent Events with the job's progress, stage and ETA until it ends. */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs, parseJobId } from "@/app/_server/jobs/backend-jobs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request, "results");
  const id = parseJobId((await context.params).id);
  // The backend's stream is passed through as it is; closing the page closes the backend stream.
  const upstream = await backendJobs.events(user.id, id, request.signal);
  return new Response(upstream.body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
});
