/**
 * Opens the product database: a SQLite file by default, PostgreSQL for a postgres:// URL.
 * Query code is written once against the SQLite-typed handle; both drivers run the same
 * query builders (all awaited), so the dialect switch stays inside this file.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { type BetterSQLite3Database, drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Logger } from "pino";
import * as pgSchema from "@/app/_server/db/schema/pg";
import * as sqliteSchema from "@/app/_server/db/schema/sqlite";
import type { Config } from "@/lib/config/schema";
import { createLogger } from "@/lib/node/logger";

export type Schema = typeof sqliteSchema;
export type Database = BetterSQLite3Database<Schema>;

export interface DatabaseHandle {
  kind: Config["database"]["kind"];
  db: Database;
  tables: Schema;
  close(): Promise<void>;
}

const MIGRATIONS_ROOT = path.join(process.cwd(), "drizzle");

let logger: Logger | undefined;
const dbLogger = () => (logger ??= createLogger({ name: "parla-db" }));

export async function openDatabase(
  database: Config["database"],
  options: { migrate?: boolean } = {},
): Promise<DatabaseHandle> {
  if (database.kind === "sqlite") {
    mkdirSync(path.dirname(database.path), { recursive: true });
    const client = new Sqlite(database.path);
    // WAL lets the Next app, the backend and the CLI share the file; foreign keys make
    // "delete my account" cascade; busy_timeout waits out a writer in another process.
    client.pragma("journal_mode = WAL");
    client.pragma("foreign_keys = ON");
    client.pragma("busy_timeout = 5000");
    const db = drizzleSqlite(client, { schema: sqliteSchema });
    if (options.migrate) migrateSqlite(db, { migrationsFolder: path.join(MIGRATIONS_ROOT, "sqlite") });
    return { kind: "sqlite", db, tables: sqliteSchema, close: async () => void client.close() };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // An idle connection the server ends (a restart, a failover, an operator) is an 'error' on
  // the pool; unheard, Node throws it and the whole process dies. The pool has already dropped
  // that client and opens a new one for the next query, so a warning is all it takes.
  pool.on("error", (error: Error & { code?: string }) => {
    dbLogger().warn({ code: error.code }, "the database closed an idle connection");
  });
  const db = drizzlePg(pool, { schema: pgSchema });
  if (options.migrate) await migratePg(db, { migrationsFolder: path.join(MIGRATIONS_ROOT, "pg") });
  // The PostgreSQL handle answers the same awaited query builders; the cast only narrows the type.
  return {
    kind: "postgres",
    db: db as unknown as Database,
    tables: pgSchema as unknown as Schema,
    close: () => pool.end(),
  };
}
