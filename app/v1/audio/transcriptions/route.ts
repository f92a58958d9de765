/** POST /v1/audio/transcriptions: OpenAI's transcription API, answered by this server's Whisper. */
import { openAiAudioRoute } from "@/app/_server/jobs/openai-audio";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = openAiAudioRoute("transcribe");
