/** GET /v1/models: the model ids this server can run now, in the OpenAI API's list shape. */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { installedSpeechEngines } from "@/lib/node/speech-engines";
import { ENGINES, OPENAI_MODELS } from "@/lib/tts/models";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Transcription answers to OpenAI's name as well; it means the Whisper this server runs. */
const TRANSCRIPTION_MODELS = ["whisper-1"] as const;

export const GET = apiRoute(async (request) => {
  await requireApiUser(request);
  const installed = await installedSpeechEngines();
  // OpenAI's names always work: they mean the best engine installed (basic at least).
  const ids = [
    ...ENGINES.filter((engine) => installed.has(engine)),
    ...OPENAI_MODELS,
    ...TRANSCRIPTION_MODELS,
  ];
  const data = ids.map((id) => ({ id, object: "model" as const, created: 0, owned_by: "parla" }));
  return Response.json({ object: "list", data });
});
