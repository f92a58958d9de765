/** GET /v1/models: the published model ids, in the OpenAI API's list shape. */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { MODEL_IDS } from "@/lib/tts/models";

export const runtime = "nodejs";

/** Transcription answers to OpenAI's name as well; it means the Whisper this server runs. */
const TRANSCRIPTION_MODELS = ["whisper-1"] as const;

export const GET = apiRoute(async (request) => {
  await requireApiUser(request);
  const data = [...MODEL_IDS, ...TRANSCRIPTION_MODELS].map((id) => ({
    id,
    object: "model" as const,
    created: 0,
    owned_by: "parla",
  }));
  return Response.json({ object: "list", data });
});
