/** Tables the Next app owns (PostgreSQL dialect). Keep in step with ./sqlite.ts; a test compares them. */
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const users = pgTable("users", {
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
  sessionVersion: integer("session_version").notNull().default(1),
  createdAt: createdAt(),
});

export const oauthAccounts = pgTable(
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

export const signInFailures = pgTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: timestamp("last_failure_at", { withTimezone: true, mode: "date" }).notNull(),
});

export const jobs = pgTable(
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
    options: jsonb("options").$type<Record<string, unknown>>().notNull(),
    engine: text("engine"),
    result: jsonb("result").$type<Record<string, unknown>>(),
    inputBytes: integer("input_bytes").notNull().default(0),
    resultBytes: integer("result_bytes").notNull().default(0),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (table) => [
    index("jobs_user_created_idx").on(table.userId, table.createdAt),
    index("jobs_expires_idx").on(table.expiresAt),
  ],
);

export const shares = pgTable(
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
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (table) => [index("shares_job_idx").on(table.jobId)],
);

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const queueJobs = pgTable(
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
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: at("lease_expires_at"),
    availableAt: at("available_at").notNull(),
    createdAt: createdAt(),
    startedAt: at("started_at"),
    finishedAt: at("finished_at"),
    updatedAt: at("updated_at").notNull(),
  },
  (table) => [
    index("queue_jobs_status_seq_idx").on(table.status, table.seq),
    index("queue_jobs_user_status_idx").on(table.userId, table.status),
    index("queue_jobs_status_lease_idx").on(table.status, table.leaseExpiresAt),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (table) => [index("api_keys_user_idx").on(table.userId)],
);

/**
 * Blocks the perimeter enforces: a network (one address or a CIDR range, stored canonical), an
 * account (user id) or an API key (key id). Placed by an admin or automatically for abuse;
 * `expires_at` null means until lifted. Lifting deletes the row (the audit log keeps the story).
 */
export const blocks = pgTable(
  "blocks",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["network", "account", "api_key"] }).notNull(),
    target: text("target").notNull(),
    reason: text("reason"),
    source: text("source", { enum: ["admin", "automatic"] }).notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
  },
  (table) => [index("blocks_kind_target_idx").on(table.kind, table.target)],
);

/** Every admin action: who, what, on what, when, from where. Never a secret or a payload. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (table) => [index("audit_log_created_idx").on(table.createdAt)],
);
