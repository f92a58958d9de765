/**
 * GET /api/health: the web app's versions and the backend's model status, with the Whisper
 * behind `whisper-1` and the execution provider each warmed model runs on.
 */
import { backendRequest } from "@/app/_server/backend-client";
import { backendHealthSchema } from "@/lib/schemas/backend";
import packageJson from "@/package.json";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET() {
  const backend = await backendRequest({
    method: "GET",
    path: "/health",
    schema: backendHealthSchema,
    timeoutMs: 3000,
  })
    .then(({ version, models, whisper, engines }) => ({
      status: "ok" as const,
      version,
      models,
      whisper,
      engines,
    }))
    .catch(() => ({ status: "unreachable" as const, version: null, models: [], whisper: null, engines: [] }));
  // 200 while the web app serves; a down backend shows as "degraded" so operators see it.
  return Response.json(
    {
      status: backend.status === "ok" ? "ok" : "degraded",
      service: "parla-web",
      version: packageJson.version,
      node: process.version,
      backend,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
