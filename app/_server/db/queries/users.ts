/** Users and their OAuth links: every read and write of the users table goes through here. */
import { randomUUID } from "node:crypto";
import { and, desc, eq, or, sql } from "drizzle-orm";
import { getDummyHash, hashPassword, verifyPassword } from "@/app/_server/auth/password";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export type Role = "user" | "admin";
export type Tier = "free" | "pro";

export interface UserRecord {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  tier: Tier;
  sessionVersion: number;
  hasPassword: boolean;
  createdAt: Date;
}

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists");
  }
}

type Row = typeof import("@/app/_server/db/schema/sqlite").users.$inferSelect;

function toRecord(row: Row): UserRecord {
  const { passwordHash, ...rest } = row;
  return { ...rest, hasPassword: passwordHash !== null };
}

async function findRow(handle: DatabaseHandle, where: ReturnType<typeof eq>): Promise<Row | undefined> {
  const rows = await handle.db.select().from(handle.tables.users).where(where).limit(1);
  return rows[0];
}

export async function findUserById(handle: DatabaseHandle, { id }: { id: string }) {
  const row = await findRow(handle, eq(handle.tables.users.id, id));
  return row && toRecord(row);
}

export async function findUserByEmail(handle: DatabaseHandle, { email }: { email: string }) {
  const row = await findRow(handle, eq(handle.tables.users.email, email));
  return row && toRecord(row);
}

export async function createUser(
  handle: DatabaseHandle,
  input: { email: string; password?: string; name?: string | null; role?: Role },
): Promise<UserRecord> {
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const id = randomUUID();
  try {
    await handle.db.insert(handle.tables.users).values({
      id,
      email: input.email,
      name: input.name ?? null,
      passwordHash,
      role: input.role ?? "user",
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
  const created = await findUserById(handle, { id });
  if (!created) throw new Error("user vanished after insert");
  return created;
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
  return cause?.code === "SQLITE_CONSTRAINT_UNIQUE" || cause?.code === "23505";
}

/** The user when email and password match; the same hashing work is done when they do not. */
export async function verifyCredentials(
  handle: DatabaseHandle,
  { email, password }: { email: string; password: string },
): Promise<UserRecord | null> {
  const row = await findRow(handle, eq(handle.tables.users.email, email));
  const ok = await verifyPassword(password, row?.passwordHash ?? (await getDummyHash()));
  return ok && row?.passwordHash ? toRecord(row) : null;
}

/** Sets a new password and ends every other session (their session version is now stale). */
export async function setPassword(
  handle: DatabaseHandle,
  { userId, password }: { userId: string; password: string },
) {
  const { users } = handle.tables;
  await handle.db
    .update(users)
    .set({ passwordHash: await hashPassword(password), sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
  return findUserById(handle, { id: userId });
}

export async function setTier(handle: DatabaseHandle, { userId, tier }: { userId: string; tier: Tier }) {
  await handle.db.update(handle.tables.users).set({ tier }).where(eq(handle.tables.users.id, userId));
}

export async function setRole(handle: DatabaseHandle, { userId, role }: { userId: string; role: Role }) {
  await handle.db.update(handle.tables.users).set({ role }).where(eq(handle.tables.users.id, userId));
}

/** Deletes the account; foreign keys cascade to everything it owns. */
export async function deleteUser(handle: DatabaseHandle, { userId }: { userId: string }) {
  await handle.db.delete(handle.tables.users).where(eq(handle.tables.users.id, userId));
}

/** Finds the user linked to an OAuth identity, linking or creating by verified email. */
export async function findOrCreateOAuthUser(
  handle: DatabaseHandle,
  input: { provider: string; providerAccountId: string; email: string; name: string | null },
): Promise<UserRecord> {
  const { oauthAccounts } = handle.tables;
  const linked = await handle.db
    .select({ userId: oauthAccounts.userId })
    .from(oauthAccounts)
    .where(
      and(
        eq(oauthAccounts.provider, input.provider),
        eq(oauthAccounts.providerAccountId, input.providerAccountId),
      ),
    )
    .limit(1);
  const existing = linked[0] && (await findUserById(handle, { id: linked[0].userId }));
  if (existing) return existing;
  const user =
    (await findUserByEmail(handle, { email: input.email })) ??
    (await createUser(handle, { email: input.email, name: input.name }));
  await handle.db
    .insert(oauthAccounts)
    .values({ provider: input.provider, providerAccountId: input.providerAccountId, userId: user.id })
    .onConflictDoNothing();
  return user;
}

/** Accounts for the admin listing, newest first; `query` matches part of the email or name. */
export async function listUsers(
  handle: DatabaseHandle,
  { query, limit }: { query?: string; limit: number },
): Promise<UserRecord[]> {
  const { users } = handle.tables;
  // LIKE wildcards in the query are matched literally.
  const pattern = query ? `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const rows = await handle.db
    .select()
    .from(users)
    .where(
      pattern
        ? or(
            sql`lower(${users.email}) like ${pattern} escape '\\'`,
            sql`lower(${users.name}) like ${pattern} escape '\\'`,
          )
        : undefined,
    )
    .orderBy(desc(users.createdAt))
    .limit(limit);
  return rows.map(toRecord);
}
