/**
 * GET /api/jobs/:id/audio: one of the caller's speech jobs, played while it is made. The body
 * is MP3 from the first sentence the worker finishes until the job ends (then it ends too);
 * the studio's player starts on it at once and moves to the finished file afterwards.
 *
 * MP3 because a browser plays it as it arrives: every frame carries its own header, so an
 * `<audio>` element starts on the first frame with no length and no container index, in every
 * browser, at a third of the bytes of PCM in WAV (whose streamed "unknown length" header some
 * browsers refuse). The finished file keeps the format the person chose.
 *
 * The browser going away aborts the backend call: the backend releases its hold on the job's
 * folder and stops encoding, and the job itself runs on (it is in the person's history).
 */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { backendJobs, parseJobId } from "@/app/_server/jobs/backend-jobs";
import { enforceRateLimit } from "@/app/_server/perimeter/rate-limit";
import { audioBody } from "@/app/_server/speech/speech-response";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const LIVE_FORMAT = "mp3";

export const GET = apiRoute(async (request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request, "results");
  const limitHeaders = await enforceRateLimit(request, "live-audio", { userId: user.id });
  const id = parseJobId((await context.params).id);

  const upstream = new AbortController();
  const abort = () => upstream.abort();
  request.signal.addEventListener("abort", abort, { once: true });
  // Answers once the first sentence exists. Another person's job is 404; a transcription, a
  // canceled job, or a finished one whose chunks are gone 409 (its file is the way then); a job
  // that failed 422 with its reason (the backend decides each).
  const audio = await backendJobs.audio(user.id, id, {
    format: LIVE_FORMAT,
    cancelOnDisconnect: false,
    signal: upstream.signal,
  });
  if (!audio.body) throw new Error("the backend sent no audio body");
  return new Response(audioBody({ upstream: audio.body, abort }), {
    headers: {
      ...limitHeaders,
      "Content-Type": audio.headers.get("content-type") ?? "audio/mpeg",
      "Cache-Control": "no-store, no-transform",
      // A reverse proxy that buffers would hold the first sentence back until the job ends.
      "X-Accel-Buffering": "no",
      "X-Parla-Job-Id": id,
    },
  });
});
