/**
 * The settings a suite needs to run the web app's server code in this process: its own
 * DATA_DIR, fixed secrets, and the embedded defaults (rate limits in this process's memory, no
 * Redis, no Upstash), so whatever this machine's environment holds cannot change the result.
 * Stubbed before the suite's own beforeAll hooks (which may stub more on top) and removed,
 * with the folder, after the suite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, vi } from "vitest";

export interface EmbeddedEnv {
  dataDir: string;
  /** Every setting stubbed, for a `loadConfig` that must agree with the web app's. */
  env: Record<string, string>;
}

export function stubEmbeddedEnv(name: string, extra: Record<string, string> = {}): EmbeddedEnv {
  const dataDir = mkdtempSync(path.join(tmpdir(), `parla-${name}-`));
  const env = {
    DATA_DIR: dataDir,
    AUTH_SECRET: "a".repeat(64),
    BACKEND_SECRET: "k".repeat(64),
    REDIS_URL: "",
    UPSTASH_REDIS_REST_URL: "",
    UPSTASH_REDIS_REST_TOKEN: "",
    ...extra,
  };
  beforeAll(() => {
    for (const [setting, value] of Object.entries(env)) vi.stubEnv(setting, value);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, env };
}
