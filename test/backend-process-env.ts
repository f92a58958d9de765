/**
 * The settings for a suite that talks, as the web app (this process), to a real backend it
 * starts as a child process: both share DATA_DIR, so they agree on the development secrets the
 * first one generates, as in `npm run dev`; the backend listens on loopback at `port`; the
 * database, the queue and the link's URL are the defaults. Call it in beforeAll; the suite's
 * vi.unstubAllEnvs() takes it back.
 */
import { vi } from "vitest";

const LEFT_TO_DEFAULTS = ["BACKEND_URL", "BACKEND_SECRET", "AUTH_SECRET", "DATABASE_URL", "REDIS_URL"];

export function stubBackendProcessEnv(dataDir: string, port: number): void {
  vi.stubEnv("DATA_DIR", dataDir);
  vi.stubEnv("BACKEND_HOST", "127.0.0.1");
  vi.stubEnv("BACKEND_PORT", String(port));
  for (const setting of LEFT_TO_DEFAULTS) vi.stubEnv(setting, undefined);
}
