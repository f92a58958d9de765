/** POST /api/jobs creates a speech job (JSON); GET lists the caller's jobs. */
import { apiRoute } from "@/app/_server/http/api-route";
import { readJson } from "@/app/_server/http/read-body";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { speechJobRequestSchema } from "@/lib/schemas/speech";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  const user = await requireApiUser();
  return Response.json(await backendJobs.list(user.id), { headers: { "Cache-Control": "no-store" } });
});

export const POST = apiRoute(async (request) => {
  const user = await requireApiUser();
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError("unsupported_media_type", "body", "Send a speech job as application/json");
  }
  const {
    kind: _kind,
    input,
    ...options
  } = await readJson(request, speechJobRequestSchema, LIMITS.http.SPEECH_MAX_JSON_BYTES);
  return Response.json(await backendJobs.createSpeech(user.id, { input, options }), { status: 202 });
});
