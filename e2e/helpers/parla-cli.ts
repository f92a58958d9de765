/** The operator CLI against the running e2e app's data folder, as an operator would run it. */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { ApiKeyScope } from "@/lib/schemas/api-keys";

export function parla(...args: string[]): string {
  return execFileSync("npx", ["tsx", "scripts/parla.ts", ...args], {
    env: { ...process.env, DATA_DIR: process.env.PARLA_E2E_DATA_DIR, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
}

/** Creates an API key for an account and returns it (the CLI prints it once). */
export function createApiKey(email: string, scopes: readonly ApiKeyScope[]): string {
  const output = parla("key:create", "--email", email, "--scopes", scopes.join(","));
  const key = output.split("\n").find((line) => line.startsWith("parla_"));
  if (!key) throw new Error("key:create printed no key");
  return key;
}

/** A fresh account and one API key per scope list given (comma-separated scopes). */
export function accountWithKeys(...scopeLists: string[]): string[] {
  const email = `e2e-${randomUUID()}@example.com`;
  parla("user:create", "--email", email, "--password", "a long e2e password");
  return scopeLists.map((scopes) => createApiKey(email, scopes.split(",") as ApiKeyScope[]));
}
