/**
 * Runs one integration suite against every database Parla supports: a fresh SQLite file and a
 * fresh PostgreSQL database on this machine's server (TEST_POSTGRES_URL). Locally, a missing
 * PostgreSQL skips its half with a warning; under CI it fails the run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";

export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    if (process.env.CI)
      throw new Error(`PostgreSQL is required under CI: ${POSTGRES_ADMIN_URL} is unreachable`);
    console.warn(`PostgreSQL unreachable at ${POSTGRES_ADMIN_URL}: skipping its suites`);
    return false;
  }
}

const hasPostgres = await postgresReachable();

export async function adminQuery<Row extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A migrated, empty database of each kind, made before the suite and removed after it. */
export function describeEachDatabase(name: string, suite: (get: () => DatabaseHandle) => void) {
  describe(`${name} [sqlite]`, () => {
    let handle: DatabaseHandle;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "parla-db-"));
      handle = await openDatabase({ kind: "sqlite", path: path.join(dir, "test.db") }, { migrate: true });
    });
    afterAll(async () => {
      await handle?.close();
      rmSync(dir, { recursive: true, force: true });
    });
    suite(() => handle);
  });

  describePostgres(name, (get) => suite(get));
}

/**
 * A migrated, empty PostgreSQL database on this machine's server for the suite; the suite also
 * gets the database's name (to look at its sessions, say).
 */
export function describePostgres(name: string, suite: (get: () => DatabaseHandle, database: string) => void) {
  describe.skipIf(!hasPostgres)(`${name} [postgres]`, () => {
    let handle: DatabaseHandle;
    const database = `parla_test_${randomBytes(6).toString("hex")}`;
    beforeAll(async () => {
      await adminQuery(`CREATE DATABASE ${database}`);
      const url = new URL(POSTGRES_ADMIN_URL);
      url.pathname = `/${database}`;
      handle = await openDatabase({ kind: "postgres", url: url.toString() }, { migrate: true });
    });
    afterAll(async () => {
      // pg's end() resolves before the server has closed the sessions, so the forced drop may end
      // one whose client still listens: the pool's own error listener (connect.ts) hears it.
      await handle?.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });
    suite(() => handle, database);
  });
}
