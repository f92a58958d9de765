/** The operator's admin commands through the real CLI runner, on a real SQLite file. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "@/app/_server/db/queries/audit-log";
import { listActiveBlocks } from "@/app/_server/db/queries/blocks";
import { findUserByEmail } from "@/app/_server/db/queries/users";
import { loadConfig } from "@/lib/node/config";
import { openDatabase } from "@/lib/node/db/connect";
import { runCli } from "../run-cli";
import { COMMANDS } from "./index";

const dataDir = mkdtempSync(path.join(tmpdir(), "parla-cli-admin-"));
const config = loadConfig({ DATA_DIR: dataDir, AUTH_SECRET: "a".repeat(64), BACKEND_SECRET: "k".repeat(64) });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, COMMANDS, config, { print: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function inspect<T>(read: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(config.database, { migrate: true });
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

describe("admin commands", () => {
  it("changes role and tier, gives the admin scope to admins only, and audits as cli", async () => {
    const email = "ops@example.com";
    expect((await cli("user:create", "--email", email, "--password", "a long passphrase")).code).toBe(0);
    const refused = await cli("key:create", "--email", email, "--scopes", "admin");
    expect(refused).toMatchObject({ code: 2, err: `${email}: only an admin's key may have the admin scope` });
    expect((await cli("user:role", "--email", email, "--role", "admin")).out).toBe(`${email} is now admin`);
    expect((await cli("key:create", "--email", email, "--scopes", "admin")).code).toBe(0);
    expect((await cli("user:tier", "--email", email, "--tier", "pro")).code).toBe(0);
    expect((await cli("user:tier", "--email", email, "--tier", "gold")).code).toBe(2);
    const user = await inspect((db) => findUserByEmail(db, { email }));
    expect(user).toMatchObject({ role: "admin", tier: "pro" });
    const audit = await inspect((db) => listAudit(db, { limit: 10 }));
    expect(audit.map((entry) => [entry.actorEmail, entry.action, entry.target])).toEqual([
      ["cli", "user.tier", email],
      ["cli", "user.role", email],
    ]);
  });

  it("adds and removes network and account blocks, refusing malformed ranges by name", async () => {
    const added = await cli("block:add", "--ip", "2001:db8:0:0:1::/64", "--hours", "2", "--reason", "flood");
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^blocked 2001:db8::\/64 \(id [0-9a-f-]+\) until \d{4}-/);
    const bad = await cli("block:add", "--ip", "300.1.1.1");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("target: must be an IPv4 or IPv6 address or range");
    expect((await cli("block:add", "--ip", "10.0.0.1", "--email", "ops@example.com")).code).toBe(2);
    expect((await cli("block:add", "--email", "ops@example.com")).code).toBe(0);
    expect(
      (await inspect((db) => listActiveBlocks(db, { limit: 10 }))).map((block) => block.kind).sort(),
    ).toEqual(["account", "network"]);
    expect((await cli("block:remove", "--ip", "2001:db8::1/64")).out).toMatch(/^lifted network block/);
    expect((await cli("block:remove", "--email", "ops@example.com")).code).toBe(0);
    expect((await cli("block:remove", "--email", "ops@example.com")).err).toBe("no block in force matches");
    expect(await inspect((db) => listActiveBlocks(db, { limit: 10 }))).toEqual([]);
  });
});
