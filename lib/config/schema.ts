/** The one settings schema for both processes (Next app and backend). Parsed once at boot. */
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);
const secret = z
  .string()
  .min(32, "must be at least 32 characters (generate one with `openssl rand -hex 32`)");
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/** Settings that turn on S3 result storage: all of them, or none (S3_FORCE_PATH_STYLE is optional). */
export const S3_SETTINGS = [
  "S3_ENDPOINT",
  "S3_BUCKET",
  "S3_REGION",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
] as const;

/** Raw environment → typed settings. Every field is named in the error when it is wrong. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: port.default(3000),
    HOSTNAME: z.string().default("0.0.0.0"),
    BACKEND_HOST: z.string().default("127.0.0.1"),
    BACKEND_PORT: port.default(8787),
    /** Where the Next app reaches the backend; defaults to BACKEND_HOST:BACKEND_PORT. */
    BACKEND_URL: z.url().optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    /** A SQLite path (`file:…` or a plain path) or a `postgres://` URL. Default: DATA_DIR/parla.db. */
    DATABASE_URL: optionalText,
    AUTH_SECRET: secret.optional(),
    BACKEND_SECRET: secret.optional(),
    PUBLIC_URL: z.url().optional(),
    /** How many reverse proxies in front of the app may append to X-Forwarded-For. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    AUTH_GITHUB_ID: optionalText,
    AUTH_GITHUB_SECRET: optionalText,
    AUTH_GOOGLE_ID: optionalText,
    AUTH_GOOGLE_SECRET: optionalText,
    /** Whisper for transcription: a manifest id or a local folder; unset, the best Whisper installed. */
    WHISPER_MODEL: optionalText,
    /** Kokoro for speech: a manifest id (e.g. the signature fixture) or a folder in the onnx-community layout. */
    KOKORO_MODEL: optionalText,
    /** A Piper voice: a manifest id or a folder holding NAME.onnx and NAME.onnx.json. */
    PIPER_VOICE: optionalText,
    /** GPUs this backend may use; workers run CONCURRENCY_PER_GPU jobs per GPU (0: CPU only). */
    GPU_COUNT: z.coerce.number().int().min(0).max(64).default(0),
    /** Self-hosted Redis: when set, the job queue runs on BullMQ and rate limits are shared. */
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Upstash Redis over REST for the edge rate limiter; both or neither. */
    UPSTASH_REDIS_REST_URL: z
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    UPSTASH_REDIS_REST_TOKEN: optionalText,
    /**
     * Comma-separated origins (scheme://host[:port]) whose pages may call /api and /v1 from a
     * browser with an API key. Default: none, so only Parla's own pages can.
     */
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((value, ctx) => {
        const origins: string[] = [];
        for (const entry of value
          .split(",")
          .map((part) => part.trim())
          .filter(Boolean)) {
          const origin = URL.canParse(entry) ? new URL(entry).origin : "null";
          if (origin === "null" || origin !== entry.replace(/\/$/, "").toLowerCase()) {
            ctx.addIssue({
              code: "custom",
              message: `${entry} is not an origin like https://app.example.com`,
            });
          } else origins.push(origin);
        }
        return origins;
      }),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** S3-compatible storage for finished results (see S3_SETTINGS); unset: DATA_DIR/results. */
    S3_ENDPOINT: z
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    S3_BUCKET: optionalText,
    S3_REGION: optionalText,
    S3_ACCESS_KEY_ID: optionalText,
    S3_SECRET_ACCESS_KEY: optionalText,
    /** "true" for servers that only take bucket-in-path URLs (MinIO, s3rver, most self-hosted). */
    S3_FORCE_PATH_STYLE: z
      .enum(["true", "false", ""])
      .optional()
      .transform((value) => value === "true"),
    MODELS_DIR: optionalText,
    MODEL_MIRROR_DIR: optionalText,
    /** Comma-separated manifest ids that `npm run models` fetches and the backend loads. */
    MODELS: z
      .string()
      .default("silero-vad")
      .transform((value) =>
        value
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      ),
  })
  .superRefine((env, ctx) => {
    for (const provider of ["GITHUB", "GOOGLE"] as const) {
      const id = env[`AUTH_${provider}_ID`];
      const key = env[`AUTH_${provider}_SECRET`];
      if (Boolean(id) !== Boolean(key)) {
        ctx.addIssue({
          code: "custom",
          path: [id ? `AUTH_${provider}_SECRET` : `AUTH_${provider}_ID`],
          message: `AUTH_${provider}_ID and AUTH_${provider}_SECRET must be set together`,
        });
      }
    }
    if (Boolean(env.UPSTASH_REDIS_REST_URL) !== Boolean(env.UPSTASH_REDIS_REST_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.UPSTASH_REDIS_REST_URL ? "UPSTASH_REDIS_REST_TOKEN" : "UPSTASH_REDIS_REST_URL"],
        message: "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN must be set together",
      });
    }
    // S3 is all or none: half a configuration would silently keep results on local disk.
    const s3Set = S3_SETTINGS.filter((name) => env[name]);
    if (s3Set.length > 0) {
      for (const name of S3_SETTINGS.filter((required) => !env[required])) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: `is required for S3 result storage (${s3Set.join(", ")} ${s3Set.length === 1 ? "is" : "are"} set); set all of ${S3_SETTINGS.join(", ")} or none`,
        });
      }
    }
    if (env.NODE_ENV === "production") {
      for (const name of ["AUTH_SECRET", "BACKEND_SECRET"] as const) {
        if (!env[name]) {
          ctx.addIssue({ code: "custom", path: [name], message: "is required in production" });
        }
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Settings after defaults are derived: secrets are always present here. */
export interface Config {
  nodeEnv: Env["NODE_ENV"];
  isProduction: boolean;
  port: number;
  hostname: string;
  backend: { host: string; port: number; url: string };
  dataDir: string;
  database: { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };
  secrets: { auth: string; backend: string };
  publicUrl: string | undefined;
  trustProxyHops: number;
  oauth: { github?: { id: string; secret: string }; google?: { id: string; secret: string } };
  logLevel: Env["LOG_LEVEL"];
  /** CORS_ORIGINS: browser origins allowed to call /api and /v1 (empty: same origin only). */
  corsOrigins: string[];
  gpus: number;
  /** WHISPER_MODEL, unresolved; unset means the best installed (lib/node/whisper-choice.ts). */
  whisperModel: string | undefined;
  /** KOKORO_MODEL (default: the manifest's kokoro-82m-v1.0) and PIPER_VOICE, unresolved. */
  kokoroModel: string;
  piperVoice: string | undefined;
  /** Present when REDIS_URL is set: BullMQ queue and shared rate limits. */
  redisUrl: string | undefined;
  upstash: { url: string; token: string } | undefined;
  models: { dir: string; mirrorDir: string | undefined; ids: string[] };
  /** Where finished results are kept: DATA_DIR/results, or an S3-compatible bucket. */
  results: ResultStorageConfig;
}

export type ResultStorageConfig =
  | { kind: "local"; dir: string }
  | {
      kind: "s3";
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

export class ConfigError extends Error {
  constructor(readonly fields: { field: string; message: string }[]) {
    super(`Invalid settings:\n${fields.map((f) => `  ${f.field}: ${f.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses raw settings or throws a ConfigError that names each bad field. */
export function parseEnv(raw: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        field: issue.path.join(".") || "(root)",
        message: issue.message,
      })),
    );
  }
  return result.data;
}
