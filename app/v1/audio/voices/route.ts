/** GET /v1/audio/voices: every voice id a speech request accepts (Kokoro, OpenAI names, basic, Piper). */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { VOICE_IDS } from "@/lib/tts/voices";

export const runtime = "nodejs";

export const GET = apiRoute(async (request) => {
  await requireApiUser(request);
  return Response.json({ voices: VOICE_IDS });
});
