/**
 * Structured logs (pino). Bodies, cookies, authorization headers, keys and tokens are redacted
 * by path, and callers log ids and sizes, never text, audio or transcripts.
 */
import pino, { type Logger } from "pino";

export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-parla-signature"]',
  'res.headers["set-cookie"]',
  "body",
  "req.body",
  "res.body",
  "password",
  "*.password",
  "token",
  "*.token",
  "key",
  "*.key",
  "secret",
  "*.secret",
  "text",
  "*.text",
  "input",
  "*.input",
  "transcript",
  "*.transcript",
];

export function createLogger(options: { name: string; level?: string }): Logger {
  return pino({
    name: options.name,
    level: options.level ?? "info",
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
