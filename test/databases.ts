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

/**
 * pg's Pool.end() resolves once its clients have *sent* their goodbye, not once the server has
 * closed their sessions. DROP ... WITH (FORCE) in that gap kills a session whose client is still
 * listening, and the client's FATAL 57P01 surfaces as an unhandled error in the suite. So the
 * drop waits (briefly) for the database's sessions to be gone.
 */
async function untilNoSessions(database: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await adminQuery<{ sessions: number }>(
      "SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1",
      [database],
    );
    if (!row?.sessions) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
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
      await handle?.close();
      await untilNoSessions(database);
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    });
    suite(() => handle, database);
  });
}
