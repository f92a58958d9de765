/** Composes the backend: request id → request log → service auth (+ body limit) → routes → errors. */
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import type { Logger } from "pino";
import type { Config } from "@/lib/config/schema";
import { LIMITS } from "@/lib/limits";
import { createLogger } from "@/lib/node/logger";
import { configuredWhisper } from "@/lib/node/whisper-choice";
import { errorHandler, notFound } from "@/server/middleware/error-handler";
import { createMemoryReplayStore, type ReplayStore } from "@/server/middleware/replay-store";
import { requestLogger } from "@/server/middleware/request-logger";
import { serviceAuth } from "@/server/middleware/service-auth";
import { adminRoutes } from "@/server/routes/admin";
import { healthRoutes, type ModelStatusCheck, modelFolderStatus } from "@/server/routes/health";
import { internalRoutes } from "@/server/routes/internal";
import { type JobRoutesDeps, jobRoutes } from "@/server/routes/jobs";
import { speechStreamRoutes } from "@/server/routes/speech-stream";

export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Defaults to one process's memory; pass a shared store when running several backends. */
  replayStore?: ReplayStore;
  modelStatus?: ModelStatusCheck;
  /** The job machinery; absent in tests of the link alone. */
  jobs?: JobRoutesDeps;
}

export function createApp({ config, logger, replayStore, modelStatus, jobs }: AppDeps) {
  const app = new Hono();
  const pool = jobs?.pool;
  app.use(requestId());
  app.use(requestLogger(logger));
  app.use(
    serviceAuth({
      secret: config.secrets.backend,
      replayStore:
        replayStore ?? createMemoryReplayStore({ maxEntries: LIMITS.backendLink.REPLAY_CACHE_MAX_ENTRIES }),
      maxBodyBytes: LIMITS.backendLink.MAX_BODY_BYTES,
      // Recordings come as the body itself, up to the largest tier's size.
      uploads: { pathSuffix: "/jobs/transcription", maxBodyBytes: LIMITS.stt.PRO_MAX_BYTES },
    }),
  );
  app.route(
    "/",
    healthRoutes({
      config,
      modelStatus: modelStatus ?? modelFolderStatus(config.models.dir),
      ...(pool ? { engines: () => pool.engines } : {}),
    }),
  );
  app.route("/internal", internalRoutes());
  if (jobs) {
    app.route("/internal", jobRoutes({ whisper: () => configuredWhisper(config), ...jobs }));
    app.route("/internal", speechStreamRoutes(jobs));
    app.route("/internal", adminRoutes({ config, db: jobs.db, pool: jobs.pool }));
  }
  app.onError(errorHandler(logger));
  app.notFound(notFound);
  return app;
}

/** The same stack with a silent logger, for `app.request()` tests. */
export function createTestApp(deps: Omit<AppDeps, "logger"> & { logger?: Logger }) {
  return createApp({ logger: createLogger({ name: "parla-backend", level: "silent" }), ...deps });
}
