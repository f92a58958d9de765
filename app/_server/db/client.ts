/** The Next app's database handle: opened once per process, migrations already run by `npm start`. */

import { getConfig } from "@/lib/node/config";
import { type DatabaseHandle, openDatabase } from "@/lib/node/db/connect";

let handle: Promise<DatabaseHandle> | undefined;

export function getDatabase(): Promise<DatabaseHandle> {
  // Migrating here too is idempotent and cheap, and lets `next dev` run without the supervisor.
  handle ??= openDatabase(getConfig().database, { migrate: true });
  return handle;
}
