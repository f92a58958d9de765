/**
 * Serves verified model files to browser workers (see models/serve.ts); weights never go in
 * public/. Metered by the `model-download` policy (per client address),
 * failing open: a rate-limit store outage must not break previews.
 */
import type { Logger } from "pino";
import { errorResponse } from "@/app/_server/http/error-response";
import { checkRateLimit, RateLimitError } from "@/app/_server/perimeter/rate-limit";
import { getConfig } from "@/lib/node/config";
import { createLogger } from "@/lib/node/logger";
import { serveModelFile } from "@/models/serve";

export const runtime = "nodejs";

let logger: Logger | undefined;

export async function GET(request: Request, context: { params: Promise<{ id: string; path: string[] }> }) {
  // Counted per client address: model files are public, immutable bytes and reading the session
  // here would tie this route to next-auth for no gain in fairness.
  const decision = await checkRateLimit(request, "model-download");
  if (decision.outcome === "limited" || decision.outcome === "unavailable") {
    return errorResponse(new RateLimitError(decision));
  }
  const { id, path } = await context.params;
  const config = getConfig();
  const result = await serveModelFile(id, path.join("/"), request.headers, {
    modelsDir: config.models.dir,
    onIntegrityError: (error) => {
      logger ??= createLogger({ name: "parla-web", level: config.logLevel });
      logger.error({ modelId: error.modelId, file: error.filePath }, error.message);
    },
  });
  return new Response(result.body, {
    status: result.status,
    headers: { ...result.headers, ...decision.headers },
  });
}
