/**
 * Backoff after repeated failed sign-ins, per account and per client IP. Counters live in the
 * database so the Next app and the CLI agree, and identities are stored only as hashes.
 */
import { createHash } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { LIMITS, signInBackoffSeconds } from "@/lib/limits";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export function throttleKeys({ email, ip }: { email: string; ip: string }): string[] {
  const hash = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 32);
  return [`account:${hash(email)}`, `ip:${hash(ip)}`];
}

/** Seconds until another attempt is allowed for any of these keys (0 = go ahead). */
export async function secondsUntilAllowed(handle: DatabaseHandle, keys: string[], now = new Date()) {
  const { signInFailures } = handle.tables;
  const rows = await handle.db.select().from(signInFailures).where(inArray(signInFailures.key, keys));
  let wait = 0;
  for (const row of rows) {
    const until = row.lastFailureAt.getTime() + signInBackoffSeconds(row.failures) * 1000;
    wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000));
  }
  return wait;
}

export async function recordFailure(handle: DatabaseHandle, keys: string[], now = new Date()) {
  const { signInFailures } = handle.tables;
  const windowMs = LIMITS.auth.FAILURE_WINDOW_SECONDS * 1000;
  for (const key of keys) {
    const [row] = await handle.db.select().from(signInFailures).where(eq(signInFailures.key, key)).limit(1);
    const stale = !row || now.getTime() - row.lastFailureAt.getTime() > windowMs;
    const failures = stale ? 1 : row.failures + 1;
    await handle.db
      .insert(signInFailures)
      .values({ key, failures, lastFailureAt: now })
      .onConflictDoUpdate({ target: signInFailures.key, set: { failures, lastFailureAt: now } });
  }
}

export async function clearFailures(handle: DatabaseHandle, keys: string[]) {
  const { signInFailures } = handle.tables;
  await handle.db.delete(signInFailures).where(inArray(signInFailures.key, keys));
}
