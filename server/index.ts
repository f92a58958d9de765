/** Boots the backend: config, app, listen on loopback by default, stop gracefully on a signal. */
import { serve } from "@hono/node-server";
import { LIMITS } from "@/lib/limits";
import { getConfigOrExit } from "@/lib/node/config";
import { createLogger } from "@/lib/node/logger";
import { createApp } from "@/server/app";
import { composeJobs } from "@/server/jobs/compose";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

const config = getConfigOrExit();
const logger = createLogger({ name: "parla-backend", level: config.logLevel });
const runtime = await composeJobs({ config, logger });
const app = createApp({ config, logger, jobs: runtime });

const server = serve({ fetch: app.fetch, hostname: config.backend.host, port: config.backend.port }, (info) =>
  logger.info({ address: info.address, port: info.port }, "backend listening"),
);
if (!LOOPBACK_HOSTS.has(config.backend.host)) {
  logger.warn(
    { host: config.backend.host },
    "backend bound beyond loopback: firewall it so only the Next app can reach it",
  );
}
server.on("error", (error) => {
  logger.fatal({ err: error }, "backend could not listen");
  process.exit(1);
});

let stopping = false;
function stop(signal: NodeJS.Signals) {
  // A process group kill delivers the signal to us and to our launcher, which relays it again.
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "backend stopping");
  setTimeout(() => {
    logger.warn("backend stopped with requests still in flight");
    process.exit(1);
  }, LIMITS.backendLink.SHUTDOWN_GRACE_MS).unref();
  server.close((error) => {
    // Running jobs are left to their leases: another backend (or this one, restarted) retries them.
    void runtime.close().finally(() => {
      logger.info("backend stopped");
      process.exit(error ? 1 : 0);
    });
  });
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
