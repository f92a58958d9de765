/** POST /api/jobs creates a speech (JSON) or transcription (multipart) job; GET lists the caller's jobs. */
import { apiRoute } from "@/app/_server/http/api-route";
import { readJson } from "@/app/_server/http/read-body";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { readTranscriptionUpload } from "@/app/_server/jobs/transcription-upload";
import { enforceRateLimit } from "@/app/_server/perimeter/rate-limit";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import { speechJobRequestSchema } from "@/lib/schemas/speech";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request) => {
  const user = await requireApiUser(request, "results");
  return Response.json(await backendJobs.list(user.id), { headers: { "Cache-Control": "no-store" } });
});

export const POST = apiRoute(async (request) => {
  const type = request.headers.get("content-type") ?? "";
  if (/^multipart\/form-data\b/i.test(type)) {
    const user = await requireApiUser(request, "transcription");
    const limitHeaders = await enforceRateLimit(request, "transcription", { userId: user.id });
    const upload = await readTranscriptionUpload(request);
    return Response.json(await backendJobs.createTranscription(user.id, upload), {
      status: 202,
      headers: limitHeaders,
    });
  }
  const user = await requireApiUser(request, "speech");
  // The handler's check is the authority (the proxy's global one is optimistic).
  const limitHeaders = await enforceRateLimit(request, "speech", { userId: user.id });
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(
      "unsupported_media_type",
      "body",
      "Send a speech job as application/json, or a transcription job as multipart/form-data",
    );
  }
  const {
    kind: _kind,
    input,
    ...options
  } = await readJson(request, speechJobRequestSchema, LIMITS.http.SPEECH_MAX_JSON_BYTES);
  return Response.json(await backendJobs.createSpeech(user.id, { input, options }), {
    status: 202,
    headers: limitHeaders,
  });
});
