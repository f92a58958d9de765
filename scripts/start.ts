/**
 * `npm start`: the whole app from one command. Validates settings, builds Next if the build
 * is missing or stale, runs migrations, then starts and supervises the Next app and the backend.
 * `--dev` runs `next dev` instead of a production build.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ConfigError } from "@/lib/config/schema";
import { loadConfig } from "@/lib/node/config";
import { openDatabase } from "@/lib/node/db/connect";
import { buildIsStale } from "./supervisor/build-state";
import { Supervised } from "./supervisor/supervise";

const root = process.cwd();
const dev = process.argv.includes("--dev");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const log = (message: string) => console.error(`[parla] ${message}`);

function loadOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const config = loadOrExit();

if (!dev && buildIsStale(root)) {
  log("building the web app (first start or sources changed)…");
  const build = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const database = await openDatabase(config.database, { migrate: true });
await database.close();
log(`database ready (${config.database.kind})`);

// Both children get the resolved secrets, so a development start (secrets generated into
// DATA_DIR) and the web server (which runs with NODE_ENV=production) agree on them.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATA_DIR: config.dataDir,
  AUTH_SECRET: config.secrets.auth,
  BACKEND_SECRET: config.secrets.backend,
};

const children = [
  new Supervised({
    name: "web",
    command: bin("tsx"),
    args: [path.join(root, "scripts", "web-server.ts"), ...(dev ? ["--dev"] : [])],
    // Next serves a production build only with NODE_ENV=production, as `next start` would set.
    env: { ...env, NODE_ENV: dev ? "development" : "production" },
    log,
  }),
  new Supervised({
    name: "backend",
    command: bin("tsx"),
    args: [path.join(root, "server", "index.ts")],
    env,
    log,
  }),
];

for (const child of children) child.start();
log(`web on http://localhost:${config.port}, backend on ${config.backend.url}`);

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`${signal}: stopping`);
  await Promise.all(children.map((child) => child.stop()));
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
