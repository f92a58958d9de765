import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/schema";
import { loadConfig } from "@/lib/node/config";

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "parla-config-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.fields.map((f) => f.field);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("starts on defaults, generating and keeping dev secrets in DATA_DIR", () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(first.port).toBe(3000);
    expect(first.backend).toEqual({ host: "127.0.0.1", port: 8787, url: "http://127.0.0.1:8787" });
    expect(first.database).toEqual({ kind: "sqlite", path: path.join(dataDir, "parla.db") });
    expect(first.secrets.auth).toMatch(/^[0-9a-f]{64}$/);
    expect(first.secrets.backend).not.toBe(first.secrets.auth);
    const file = path.join(dataDir, "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.secrets).toEqual(first.secrets);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first.secrets);
  });

  it("refuses to start in production without its secrets, naming both", () => {
    expect(fieldsOf(() => loadConfig({ NODE_ENV: "production", DATA_DIR: tempDir() }))).toEqual([
      "AUTH_SECRET",
      "BACKEND_SECRET",
    ]);
  });

  it("names each malformed field", () => {
    const fields = fieldsOf(() =>
      loadConfig({
        DATA_DIR: tempDir(),
        PORT: "http",
        BACKEND_PORT: "70000",
        AUTH_SECRET: "short",
        LOG_LEVEL: "loud",
      }),
    );
    expect(fields.sort()).toEqual(["AUTH_SECRET", "BACKEND_PORT", "LOG_LEVEL", "PORT"]);
  });

  it("wants OAuth id and secret together", () => {
    expect(fieldsOf(() => loadConfig({ DATA_DIR: tempDir(), AUTH_GITHUB_ID: "abc" }))).toEqual([
      "AUTH_GITHUB_SECRET",
    ]);
  });

  it("selects PostgreSQL for postgres URLs and rejects other schemes", () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: "postgres://u@127.0.0.1/db" }).database.kind).toBe(
      "postgres",
    );
    expect(fieldsOf(() => loadConfig({ DATA_DIR: dataDir, DATABASE_URL: "mysql://x/y" }))).toEqual([
      "DATABASE_URL",
    ]);
  });

  it("keeps results on local disk unless every S3 setting is given, and names the missing ones", () => {
    const dataDir = tempDir();
    expect(loadConfig({ DATA_DIR: dataDir }).results).toEqual({
      kind: "local",
      dir: path.join(dataDir, "results"),
    });
    const s3 = {
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_BUCKET: "parla-results",
      S3_REGION: "us-east-1",
      S3_ACCESS_KEY_ID: "key-id",
      S3_SECRET_ACCESS_KEY: "key-secret",
      S3_FORCE_PATH_STYLE: "true",
    };
    expect(loadConfig({ DATA_DIR: dataDir, ...s3 }).results).toEqual({
      kind: "s3",
      endpoint: "http://127.0.0.1:9000",
      bucket: "parla-results",
      region: "us-east-1",
      accessKeyId: "key-id",
      secretAccessKey: "key-secret",
      forcePathStyle: true,
    });
    expect(
      fieldsOf(() =>
        loadConfig({ DATA_DIR: dataDir, S3_BUCKET: "parla-results", S3_REGION: "eu-west-1" }),
      ).sort(),
    ).toEqual(["S3_ACCESS_KEY_ID", "S3_ENDPOINT", "S3_SECRET_ACCESS_KEY"]);
    // The path-style switch alone turns nothing on; a bad endpoint or switch value is named.
    expect(loadConfig({ DATA_DIR: dataDir, S3_FORCE_PATH_STYLE: "true" }).results.kind).toBe("local");
    expect(fieldsOf(() => loadConfig({ DATA_DIR: dataDir, ...s3, S3_ENDPOINT: "not a url" }))).toEqual([
      "S3_ENDPOINT",
    ]);
    expect(fieldsOf(() => loadConfig({ DATA_DIR: dataDir, ...s3, S3_FORCE_PATH_STYLE: "yes" }))).toEqual([
      "S3_FORCE_PATH_STYLE",
    ]);
  });
});
