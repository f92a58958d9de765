/** GET /v1/models: the model ids this server can run now, in the OpenAI API's list shape. */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { getConfig } from "@/lib/node/config";
import { installedSpeechEngines } from "@/lib/node/speech-engines";
import { configuredWhisper } from "@/lib/node/whisper-choice";
import { ENGINES, OPENAI_MODELS } from "@/lib/tts/models";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Transcription answers to OpenAI's name as well; it means the Whisper this server runs. */
const TRANSCRIPTION_MODEL = "whisper-1";

interface ModelObject {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  root?: string;
}

const model = (id: string): ModelObject => ({ id, object: "model", created: 0, owned_by: "parla" });

export const GET = apiRoute(async (request) => {
  await requireApiUser(request);
  const [installed, whisper] = await Promise.all([installedSpeechEngines(), configuredWhisper(getConfig())]);
  // OpenAI's names always work: they mean the best engine installed (basic at least).
  const data = [...ENGINES.filter((engine) => installed.has(engine)), ...OPENAI_MODELS].map(model);
  // whisper-1 only while a Whisper can serve it; `root` names that model, as vLLM's list does.
  if (whisper.ok) data.push({ ...model(TRANSCRIPTION_MODEL), root: whisper.name });
  return Response.json({ object: "list", data });
});
