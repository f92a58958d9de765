/**
 * GET /v1/audio/voices: every voice id a speech request accepts on this server now: Kokoro's
 * and Piper's only when installed; OpenAI's names and the basic voices always (without Kokoro,
 * OpenAI's names mean the closest basic voice).
 */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { installedSpeechEngines } from "@/lib/node/speech-engines";
import { BASIC_VOICE_IDS, KOKORO_VOICES, OPENAI_VOICES, PIPER_VOICES } from "@/lib/tts/voices";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute(async (request) => {
  await requireApiUser(request);
  const installed = await installedSpeechEngines();
  const voices = [
    ...(installed.has("kokoro") ? KOKORO_VOICES : []),
    ...OPENAI_VOICES,
    ...BASIC_VOICE_IDS,
    ...(installed.has("piper") ? PIPER_VOICES : []),
  ];
  return Response.json({ voices });
});
