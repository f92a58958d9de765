/** The operator CLI against the running app's own data folder: accounts and keys for API tests. */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";

export function parla(...args: string[]): string {
  return execFileSync("npx", ["tsx", "scripts/parla.ts", ...args], {
    env: { ...process.env, DATA_DIR: process.env.PARLA_E2E_DATA_DIR, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
}

/** A fresh account and one API key per scope list given; keys are printed once, on their own line. */
export function accountWithKeys(...scopeLists: string[]): string[] {
  const email = `e2e-${randomUUID()}@example.com`;
  parla("user:create", "--email", email, "--password", "a long e2e password");
  return scopeLists.map((scopes) => {
    const output = parla("key:create", "--email", email, "--scopes", scopes);
    const key = output.split("\n").find((line) => line.startsWith("parla_"));
    if (!key) throw new Error("key:create printed no key");
    return key;
  });
}
