import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "./e2e/helpers/chromium";

// One fresh data folder per run; workers inherit it through the environment.
process.env.PARLA_E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "parla-e2e-"));
const PORT = Number(process.env.PARLA_E2E_PORT ?? 3100);
const BACKEND_PORT = PORT + 4690;
const MODEL_MIRROR_DIR = process.env.MODEL_MIRROR_DIR ?? path.resolve("../shared/models");
// Everything the web app and backend print goes to this file too (e2e/log-privacy.spec.ts reads it);
// the console shows it without the info-level request lines.
const SERVER_LOG = path.join(process.env.PARLA_E2E_DATA_DIR, "server.log");

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  webServer: {
    // The real first run: install the configured models from the mirror, then start everything.
    command: `(npx tsx scripts/models.ts && npx tsx scripts/start.ts) 2>&1 | tee -a "${SERVER_LOG}" | grep -v --line-buffered '"level":30' >&2`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      BACKEND_PORT: String(BACKEND_PORT),
      DATA_DIR: process.env.PARLA_E2E_DATA_DIR,
      // Info, as in production, so the log-privacy pass sees every line a real deployment writes.
      LOG_LEVEL: "info",
      // As behind one reverse proxy: the last X-Forwarded-For entry is the client (e2e/helpers/client-address.ts).
      TRUST_PROXY_HOPS: "1",
      // One allowed browser origin for the CORS cases (e2e/perimeter.spec.ts).
      CORS_ORIGINS: "https://allowed.example",
      MODEL_MIRROR_DIR,
      // The random-weight Whisper fixture: the transcript is noise, the pipeline is real.
      WHISPER_MODEL: path.join(MODEL_MIRROR_DIR, "test", "whisper-tiny-random"),
      // The random-weight Kokoro fixture with the real voices and vocabulary: noise, real plumbing.
      MODELS: "silero-vad,kokoro-signature-random,kokoro-82m-v1.0-voices",
      KOKORO_MODEL: "kokoro-signature-random",
    },
  },
});
