/** Resident memory of another process, from /proc (Linux). Elsewhere the limit is V8's heap cap only. */
import { readFile } from "node:fs/promises";

export async function residentMegabytes(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => undefined);
  const match = status?.match(/^VmRSS:\s+(\d+)\s+kB$/m);
  return match ? Number(match[1]) / 1024 : undefined;
}
