/** The one open route: liveness plus which configured models are on disk. */
import { Hono } from "hono";
import type { Config } from "@/lib/config/schema";
import type { BackendHealth, BackendModelStatus } from "@/lib/schemas/backend";
import { isModelInstalled } from "@/models/installed";
import packageJson from "@/package.json" with { type: "json" };

export type ModelStatusCheck = (id: string) => Promise<BackendModelStatus>;

/** Health is polled, so it asks only whether files are installed (see models/installed.ts). */
export function modelFolderStatus(modelsDir: string): ModelStatusCheck {
  return async (id) => ((await isModelInstalled(modelsDir, id)) ? "available" : "missing");
}

export function healthRoutes({ config, modelStatus }: { config: Config; modelStatus: ModelStatusCheck }) {
  return new Hono().get("/health", async (c) => {
    const models = await Promise.all(
      config.models.ids.map(async (id) => ({ id, status: await modelStatus(id) })),
    );
    return c.json({
      status: "ok",
      service: "parla-backend",
      version: packageJson.version,
      node: process.version,
      uptimeSeconds: Math.floor(process.uptime()),
      models,
    } satisfies BackendHealth);
  });
}
