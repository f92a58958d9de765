/**
 * OpenAI's audio API on Parla's job queue: the upload becomes an ordinary transcription job (an
 * isolated worker, the queue's backpressure, the person's history), the route waits for it, then
 * answers in the requested `response_format` with OpenAI's shapes.
 */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { awaitJob, jobFailure } from "@/app/_server/jobs/await-job";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import {
  formField,
  invalidFields,
  readAudioUpload,
  transcriptionOptionsFrom,
} from "@/app/_server/jobs/transcription-upload";
import { enforceRateLimit } from "@/app/_server/perimeter/rate-limit";
import { ApiError } from "@/lib/errors";
import { LIMITS } from "@/lib/limits";
import type { JobView } from "@/lib/schemas/jobs";
import { type OpenAiAudioForm, openAiAudioFormSchema } from "@/lib/schemas/openai-audio";
import { RESPONSE_CONTENT_TYPES, RESPONSE_EXTENSIONS, type VerboseJson } from "@/lib/transcript/formats";
import type { TranscriptTask } from "@/lib/transcript/types";

/** Says how `words` were timed, since OpenAI's shape has no place for it. */
export const WORD_TIMESTAMPS_HEADER = "X-Parla-Word-Timestamps";

function openAiFields(form: FormData): OpenAiAudioForm {
  const parsed = openAiAudioFormSchema.safeParse({
    model: formField(form, "model"),
    response_format: formField(form, "response_format"),
    timestamp_granularities: form.getAll("timestamp_granularities[]").map(String),
  });
  if (!parsed.success) throw invalidFields(parsed.error.issues);
  if (parsed.data.timestamp_granularities.length > 0 && parsed.data.response_format !== "verbose_json") {
    throw new ApiError(
      "bad_request",
      "body",
      "timestamp_granularities[] needs response_format verbose_json",
      [{ path: "timestamp_granularities", message: "needs response_format verbose_json" }],
    );
  }
  return parsed.data;
}

async function resultFile(userId: string, job: JobView, format: keyof typeof RESPONSE_EXTENSIONS) {
  const response = await backendJobs.file(userId, job.id, `transcript.${RESPONSE_EXTENSIONS[format]}`);
  return response.text();
}

/** verbose_json with OpenAI's granularity rule: segments unless only words were asked for. */
function verboseBody(stored: VerboseJson, granularities: readonly string[]): VerboseJson {
  const { segments, words, ...rest } = stored;
  const wantSegments = granularities.includes("segment") || !granularities.includes("word");
  return {
    ...rest,
    ...(wantSegments ? { segments: segments ?? [] } : {}),
    ...(granularities.includes("word") ? { words: words ?? [] } : {}),
  };
}

async function respond(userId: string, job: JobView, fields: OpenAiAudioForm, limitHeaders: HeadersInit) {
  const format = fields.response_format;
  const headers = new Headers(limitHeaders);
  headers.set("Cache-Control", "no-store");
  headers.set("Content-Type", RESPONSE_CONTENT_TYPES[format]);
  headers.set("X-Parla-Job-Id", job.id);
  if (format === "json") return Response.json({ text: job.result?.text ?? "" }, { headers });
  if (format !== "verbose_json") return new Response(await resultFile(userId, job, format), { headers });
  const body = verboseBody(JSON.parse(await resultFile(userId, job, format)), fields.timestamp_granularities);
  if (body.words && job.result?.wordTimestamps)
    headers.set(WORD_TIMESTAMPS_HEADER, job.result.wordTimestamps);
  return Response.json(body, { headers });
}

export function openAiAudioRoute(task: TranscriptTask) {
  return apiRoute(async (request) => {
    const user = await requireApiUser(request, "transcription");
    // The handler's check is the authority (the proxy's global one is optimistic).
    const limitHeaders = await enforceRateLimit(
      request,
      task === "translate" ? "translation" : "transcription",
      {
        userId: user.id,
      },
    );
    const upload = await readAudioUpload(request);
    const fields = openAiFields(upload.form);
    const options = transcriptionOptionsFrom(upload.form, { task });
    const { id } = await backendJobs.createTranscription(user.id, {
      bytes: upload.bytes,
      extension: upload.extension,
      options,
    });
    const job = await awaitJob({
      userId: user.id,
      jobId: id,
      maxWaitMs: LIMITS.stt.API_WAIT_MAX_MS,
      signal: request.signal,
    });
    if (job.status !== "succeeded") throw jobFailure(job);
    return respond(user.id, job, fields, limitHeaders);
  });
}
