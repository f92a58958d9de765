/**
 * GET /api/tts/preview: what the studio's browser preview runs. The Kokoro model named by
 * KOKORO_MODEL (when it is a manifest model that is installed and pinned) with its voices, each
 * file as a URL of the model file route with the size and SHA-256 from models.lock.json, and
 * onnxruntime-web's files per device. Otherwise `available: false` with the reason to show.
 */
import { apiRoute } from "@/app/_server/http/api-route";
import { requireApiUser } from "@/app/_server/http/require-user";
import { previewRuntime } from "@/app/_server/preview/ort-runtime";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import { resolveModelSource } from "@/lib/node/model-source";
import type { PreviewConfig } from "@/lib/schemas/tts-preview";
import { browserKokoroFiles, KOKORO_VOICES_MODEL_ID } from "@/models/browser-preview";
import { isModelInstalled } from "@/models/installed";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const KOKORO_SAMPLE_RATE_HZ = 24_000;

async function previewConfig(): Promise<PreviewConfig> {
  const { kokoroModel, models } = getConfig();
  const source = resolveModelSource(kokoroModel);
  if (source.kind === "folder") {
    return {
      available: false,
      reason: "Kokoro is loaded from a local folder, which the browser cannot fetch",
    };
  }
  const found = browserKokoroFiles(source.modelId);
  if (!found.ok) return { available: false, reason: found.reason };
  const installed = await Promise.all(
    [source.modelId, KOKORO_VOICES_MODEL_ID].map((id) => isModelInstalled(models.dir, id)),
  );
  if (!installed.every(Boolean)) {
    return { available: false, reason: `Kokoro (${source.modelId}) is not installed on this server` };
  }
  const [webgpu, wasm] = await Promise.all([previewRuntime("webgpu"), previewRuntime("wasm")]);
  return {
    available: true,
    engine: "kokoro",
    modelId: source.modelId,
    fixture: found.files.fixture,
    sampleRate: KOKORO_SAMPLE_RATE_HZ,
    maxChars: LIMITS.tts.PREVIEW_MAX_CHARS,
    runtime: { webgpu, wasm },
    model: found.files.model,
    vocab: found.files.vocab,
    voices: found.files.voices,
  };
}

export const GET = apiRoute(async (request) => {
  await requireApiUser(request, "speech");
  return Response.json(await previewConfig(), { headers: { "Cache-Control": "no-store" } });
});
