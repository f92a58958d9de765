/** The one open route: liveness plus which configured models are on disk. */
import { stat } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import type { Config } from "@/lib/config/schema";
import type { BackendHealth, BackendModelStatus } from "@/lib/schemas/backend";
import { MODEL_LOCK } from "@/models/lock";
import { findModel, lockedFile } from "@/models/select";
import packageJson from "@/package.json" with { type: "json" };

export type ModelStatusCheck = (id: string) => Promise<BackendModelStatus>;

/**
 * A model is available when every manifest file is installed with its pinned size. Health is
 * polled, so it never hashes gigabytes: the full SHA-256 check runs when a loader reads a file.
 */
export function modelFolderStatus(modelsDir: string): ModelStatusCheck {
  return async (id) => {
    const entry = findModel(id);
    if (!entry) return "missing";
    for (const file of entry.files) {
      const pin = lockedFile(MODEL_LOCK, id, file.path);
      const found = await stat(path.join(modelsDir, id, ...file.path.split("/"))).catch(() => undefined);
      if (!pin?.sha256 || !found?.isFile() || (pin.bytes !== null && found.size !== pin.bytes))
        return "missing";
    }
    return "available";
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
