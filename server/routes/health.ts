/**
 * The one open route: liveness, which configured models are on disk, the Whisper serving
 * `whisper-1`, and the execution provider each warmed model really runs on.
 */
import { Hono } from "hono";
import type { Config } from "@/lib/config/schema";
import { configuredWhisper, whisperStatus } from "@/lib/node/whisper-choice";
import type { BackendHealth, BackendModelStatus, WorkerEngine } from "@/lib/schemas/backend";
import { isModelInstalled } from "@/models/installed";
import packageJson from "@/package.json" with { type: "json" };

export type ModelStatusCheck = (id: string) => Promise<BackendModelStatus>;

/** Health is polled, so it asks only whether files are installed (see models/installed.ts). */
export function modelFolderStatus(modelsDir: string): ModelStatusCheck {
  return async (id) => ((await isModelInstalled(modelsDir, id)) ? "available" : "missing");
}

export function healthRoutes({
  config,
  modelStatus,
  engines = () => [],
}: {
  config: Config;
  modelStatus: ModelStatusCheck;
  /** The models the workers warmed and the execution provider each really runs on. */
  engines?: () => readonly WorkerEngine[];
}) {
  return new Hono().get("/health", async (c) => {
    const [models, whisper] = await Promise.all([
      Promise.all(config.models.ids.map(async (id) => ({ id, status: await modelStatus(id) }))),
      configuredWhisper(config),
    ]);
    return c.json({
      status: "ok",
      service: "parla-backend",
      version: packageJson.version,
      node: process.version,
      uptimeSeconds: Math.floor(process.uptime()),
      models,
      whisper: whisperStatus(whisper),
      engines: [...engines()],
    } satisfies BackendHealth);
  });
}
