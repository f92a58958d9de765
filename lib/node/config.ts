/**
 * Node-only config loader shared by the Next app, the backend, the CLI and the supervisor.
 * It is the one module that reads process.env. In development it creates the secrets on
 * first start and keeps them in DATA_DIR, so `npm install && npm start` needs no set-up.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Config, ConfigError, type Env, parseEnv } from "@/lib/config/schema";

const SECRETS_FILE = "secrets.json";

interface DevSecrets {
  auth: string;
  backend: string;
}

function readOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, SECRETS_FILE);
  mkdirSync(dataDir, { recursive: true });
  const fresh: DevSecrets = {
    auth: randomBytes(32).toString("hex"),
    backend: randomBytes(32).toString("hex"),
  };
  try {
    // "wx" fails if the file exists: two processes starting together agree on one file.
    writeFileSync(file, JSON.stringify(fresh), { flag: "wx", mode: 0o600 });
    return fresh;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const stored = JSON.parse(readFileSync(file, "utf8")) as Partial<DevSecrets>;
  if (typeof stored.auth !== "string" || typeof stored.backend !== "string") {
    throw new ConfigError([{ field: "DATA_DIR", message: `${file} is not a valid secrets file; delete it` }]);
  }
  return { auth: stored.auth, backend: stored.backend };
}

function databaseFrom(env: Env, dataDir: string): Config["database"] {
  const url = env.DATABASE_URL;
  if (!url) return { kind: "sqlite", path: path.join(dataDir, "parla.db") };
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgres", url };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith("file:")) {
    throw new ConfigError([
      { field: "DATABASE_URL", message: "must be a postgres:// URL or a SQLite file path" },
    ]);
  }
  return { kind: "sqlite", path: path.resolve(/*turbopackIgnore: true*/ url.replace(/^file:(\/\/)?/, "")) };
}

function resultStorageFrom(env: Env, dataDir: string): Config["results"] {
  const { S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY } = env;
  // parseEnv has already refused a partial S3 configuration.
  if (S3_ENDPOINT && S3_BUCKET && S3_REGION && S3_ACCESS_KEY_ID && S3_SECRET_ACCESS_KEY) {
    return {
      kind: "s3",
      endpoint: S3_ENDPOINT,
      bucket: S3_BUCKET,
      region: S3_REGION,
      accessKeyId: S3_ACCESS_KEY_ID,
      secretAccessKey: S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    };
  }
  return { kind: "local", dir: path.join(dataDir, "results") };
}

function pair(id: string | undefined, secret: string | undefined) {
  return id && secret ? { id, secret } : undefined;
}

/** Builds the typed config from raw settings; throws ConfigError naming every bad field. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): Config {
  const env = parseEnv(raw);
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR);
  const dev = env.AUTH_SECRET && env.BACKEND_SECRET ? undefined : readOrCreateDevSecrets(dataDir);
  return {
    nodeEnv: env.NODE_ENV,
    isProduction: env.NODE_ENV === "production",
    port: env.PORT,
    hostname: env.HOSTNAME,
    backend: {
      host: env.BACKEND_HOST,
      port: env.BACKEND_PORT,
      url: env.BACKEND_URL ?? `http://${env.BACKEND_HOST}:${env.BACKEND_PORT}`,
    },
    dataDir,
    database: databaseFrom(env, dataDir),
    secrets: { auth: env.AUTH_SECRET ?? dev?.auth ?? "", backend: env.BACKEND_SECRET ?? dev?.backend ?? "" },
    publicUrl: env.PUBLIC_URL,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    oauth: {
      github: pair(env.AUTH_GITHUB_ID, env.AUTH_GITHUB_SECRET),
      google: pair(env.AUTH_GOOGLE_ID, env.AUTH_GOOGLE_SECRET),
    },
    logLevel: env.LOG_LEVEL,
    corsOrigins: env.CORS_ORIGINS,
    gpus: env.GPU_COUNT,
    whisperModel: env.WHISPER_MODEL,
    kokoroModel: env.KOKORO_MODEL ?? "kokoro-82m-v1.0",
    piperVoice: env.PIPER_VOICE,
    redisUrl: env.REDIS_URL,
    upstash:
      env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN
        ? { url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }
        : undefined,
    models: {
      dir: path.resolve(/*turbopackIgnore: true*/ env.MODELS_DIR ?? path.join(dataDir, "models")),
      mirrorDir: env.MODEL_MIRROR_DIR
        ? path.resolve(/*turbopackIgnore: true*/ env.MODEL_MIRROR_DIR)
        : undefined,
      ids: env.MODELS,
    },
    results: resultStorageFrom(env, dataDir),
  };
}

let cached: Config | undefined;

/** The process-wide config, parsed on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/** Boot helper: prints the field errors and exits non-zero instead of starting half-configured. */
export function getConfigOrExit(): Config {
  try {
    return getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
