/** POST /v1/audio/translations: OpenAI's translation API (speech in any language → English text). */
import { openAiAudioRoute } from "@/app/_server/jobs/openai-audio";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = openAiAudioRoute("translate");
