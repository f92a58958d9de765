/** Reads and atomically rewrites models.lock.json on disk (used by `npm run models -- lock`). */
import { readFile, rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseLock } from "@/models/lock";
import type { ModelLock } from "@/models/schema";

export const LOCK_FILE_PATH = fileURLToPath(new URL("./models.lock.json", import.meta.url));

export async function readLockFile(filePath = LOCK_FILE_PATH): Promise<ModelLock> {
  return parseLock(JSON.parse(await readFile(filePath, "utf8")));
}

export async function writeLockFile(lock: ModelLock, filePath = LOCK_FILE_PATH): Promise<void> {
  const temporary = `${filePath}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(lock, null, 2)}\n`);
  await rename(temporary, filePath);
}
