/** Tables the Next app owns (SQLite dialect). Keep in step with ./pg.ts; a test compares them. */
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date());

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash"),
  role: text("role", { enum: ["user", "admin"] })
    .notNull()
    .default("user"),
  /** Limits and retention follow the tier (free by default; operators raise it). */
  tier: text("tier", { enum: ["free", "pro"] })
    .notNull()
    .default("free"),
  /** Bumped on password change and sign-out-everywhere: older session cookies stop working. */
  sessionVersion: integer("session_version").notNull().default(1),
  createdAt: createdAt(),
});

export const oauthAccounts = sqliteTable(
  "oauth_accounts",
  {
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.providerAccountId] }),
    index("oauth_accounts_user_idx").on(table.userId),
  ],
);

/** Failed sign-ins per hashed identity (account or IP), for backoff. */
export const signInFailures = sqliteTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: integer("last_failure_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * A person's jobs: the product's record of each piece of full-length work (the queue only
 * transports it). Input text and audio live in the job's folder on disk, never in this row.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["speech", "transcription"] }).notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "canceled"] }).notNull(),
    progress: real("progress").notNull().default(0),
    stage: text("stage"),
    error: text("error"),
    /** Non-secret settings (voice, format, language…) and sizes, shown in the history. */
    options: text("options", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    engine: text("engine"),
    /** What the worker produced: file names in the job's folder and their metadata. */
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    inputBytes: integer("input_bytes").notNull().default(0),
    resultBytes: integer("result_bytes").notNull().default(0),
    createdAt: createdAt(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    /** The retention sweeper deletes the job, its files and its links after this time. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    index("jobs_user_created_idx").on(table.userId, table.createdAt),
    index("jobs_expires_idx").on(table.expiresAt),
  ],
);

/** Share links: only the token's SHA-256 is stored, so a database leak opens no result. */
export const shares = sqliteTable(
  "shares",
  {
    id: text("id").primaryKey(),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    views: integer("views").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("shares_job_idx").on(table.jobId)],
);

/**
 * The embedded job queue (server/queue/embedded-queue.ts). `seq` orders the line (FIFO by
 * enqueue); a running job belongs to `lease_owner` until `lease_expires_at`, which its
 * consumer's heartbeat keeps pushing forward. Payload and result are JSON text.
 */
export const queueJobs = sqliteTable(
  "queue_jobs",
  {
    id: text("id").primaryKey(),
    seq: integer("seq").notNull(),
    userId: text("user_id").notNull(),
    kind: text("kind").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["queued", "running", "succeeded", "failed", "canceled"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    progress: real("progress").notNull().default(0),
    stage: text("stage"),
    error: text("error"),
    result: text("result"),
    cancelRequested: integer("cancel_requested", { mode: "boolean" }).notNull().default(false),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at", { mode: "timestamp_ms" }),
    /** A retried job waits out its backoff: it is not claimed before this time. */
    availableAt: integer("available_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    index("queue_jobs_status_seq_idx").on(table.status, table.seq),
    index("queue_jobs_user_status_idx").on(table.userId, table.status),
    index("queue_jobs_status_lease_idx").on(table.status, table.leaseExpiresAt),
  ],
);

/** API keys: only the SHA-256 of a key is stored, with a short prefix the owner can recognise. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    /** Comma-separated scopes: speech, transcription, results. */
    scopes: text("scopes").notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("api_keys_user_idx").on(table.userId)],
);

/**
 * Blocks the perimeter enforces: a network (one address or a CIDR range, stored canonical), an
 * account (user id) or an API key (key id). Placed by an admin or automatically for abuse;
 * `expires_at` null means until lifted. Lifting deletes the row (the audit log keeps the story).
 */
export const blocks = sqliteTable(
  "blocks",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["network", "account", "api_key"] }).notNull(),
    target: text("target").notNull(),
    reason: text("reason"),
    source: text("source", { enum: ["admin", "automatic"] }).notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("blocks_kind_target_idx").on(table.kind, table.target)],
);

/** Every admin action: who, what, on what, when, from where. Never a secret or a payload. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (table) => [index("audit_log_created_idx").on(table.createdAt)],
);
