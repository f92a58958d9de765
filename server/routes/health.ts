/** The one open route: liveness plus which configured models are on disk. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import type { Config } from "@/lib/config/schema";
import type { BackendHealth, BackendModelStatus } from "@/lib/schemas/backend";
import packageJson from "@/package.json" with { type: "json" };

export type ModelStatusCheck = (id: string) => Promise<BackendModelStatus>;

// TODO: once models/manifest.ts and models/load-node.ts land, report from the loader
// (manifest files verified, session loaded) instead of the folder's presence.
export function modelFolderStatus(modelsDir: string): ModelStatusCheck {
  return async (id) => {
    const found = await stat(path.join(modelsDir, id)).catch(() => undefined);
    return found?.isDirectory() ? "available" : "missing";
  };
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
