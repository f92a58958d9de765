/**
 * POST /v1/audio/speech: OpenAI-compatible text to speech. The request becomes a speech job
 * (so it lands in the person's history and goes through the queue's admission and per-person
 * caps), and its audio streams back sentence by sentence while the backend's workers make it.
 */
import { apiRoute } from "@/app/_server/http/api-route";
import { readJson } from "@/app/_server/http/read-body";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs } from "@/app/_server/jobs/backend-jobs";
import { enforceRateLimit } from "@/app/_server/perimeter/rate-limit";
import { audioBody, sseBody } from "@/app/_server/speech/speech-response";
import { LIMITS } from "@/lib/limits";
import { openAiSpeechRequestSchema } from "@/lib/schemas/openai-speech";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute(async (request) => {
  const user = await requireApiUser(request, "speech");
  // The handler's check is the authority (the proxy's global one is optimistic).
  const limitHeaders = await enforceRateLimit(request, "speech", { userId: user.id });
  const body = await readJson(request, openAiSpeechRequestSchema, LIMITS.http.SPEECH_MAX_JSON_BYTES);

  const { id } = await backendJobs.createSpeech(user.id, {
    input: body.input,
    options: { model: body.model, voice: body.voice, format: body.response_format, speed: body.speed },
  });
  const upstream = new AbortController();
  const abort = () => upstream.abort();
  request.signal.addEventListener("abort", abort, { once: true });
  // Answers once the first chunk is made; a job that fails before that is a plain error reply.
  const audio = await backendJobs.audio(user.id, id, {
    format: body.response_format,
    cancelOnDisconnect: true,
    signal: upstream.signal,
  });
  if (!audio.body) throw new Error("the backend sent no audio body");

  const headers = { ...limitHeaders, "Cache-Control": "no-store", "X-Parla-Job-Id": id };
  if (body.stream_format === "sse") {
    const stream = sseBody({
      upstream: audio.body,
      abort,
      inputCharacters: [...body.input].length,
      finalJob: () => backendJobs.get(user.id, id),
    });
    return new Response(stream, { headers: { ...headers, "Content-Type": "text/event-stream" } });
  }
  return new Response(audioBody({ upstream: audio.body, abort }), {
    headers: { ...headers, "Content-Type": audio.headers.get("content-type") ?? "application/octet-stream" },
  });
});
