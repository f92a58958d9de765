/** What the admin page and GET /api/admin/* show, each as plain JSON-ready data. */
import { backendRequest } from "@/app/_server/backend-client";
import { listAudit } from "@/app/_server/db/queries/audit-log";
import { listActiveBlocks } from "@/app/_server/db/queries/blocks";
import { findUserById, listUsers } from "@/app/_server/db/queries/users";
import { LIMITS, RATE_LIMITS } from "@/lib/limits";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { DAILY_QUOTAS, QUOTA_UNITS } from "@/lib/quota/quota-meter";
import { getPolicy } from "@/lib/rate-limit/policies";
import { queueStateSchema } from "@/lib/schemas/admin";

export function limitsView() {
  const policies = (Object.keys(RATE_LIMITS) as (keyof typeof RATE_LIMITS)[]).map((name) => {
    const policy = getPolicy(name);
    return { name, windows: policy.windows, identity: policy.identity, failMode: policy.failMode };
  });
  const tier = (which: "FREE" | "PRO") => ({
    speechMaxChars: LIMITS.tts[`${which}_MAX_CHARS`],
    uploadMaxBytes: LIMITS.stt[`${which}_MAX_BYTES`],
    recordingMaxSeconds: LIMITS.stt[`${which}_MAX_SECONDS`],
    retentionDays: LIMITS.jobs[`RETENTION_DAYS_${which}`],
    speechCharactersPerDay: DAILY_QUOTAS.speech[which === "FREE" ? "free" : "pro"],
    transcriptionSecondsPerDay: DAILY_QUOTAS.transcription[which === "FREE" ? "free" : "pro"],
  });
  return {
    rateLimits: policies,
    quotas: { windowSeconds: LIMITS.quotas.WINDOW_SECONDS, units: QUOTA_UNITS, perTier: DAILY_QUOTAS },
    tiers: { free: tier("FREE"), pro: tier("PRO") },
    jobs: {
      maxActivePerUser: LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER,
      maxQueueDepth: LIMITS.queue.MAX_DEPTH,
      maxInFlightRequests: LIMITS.rateLimit.MAX_IN_FLIGHT_REQUESTS,
    },
    abuse: LIMITS.abuse,
    blockCacheTtlMs: LIMITS.blocks.CACHE_TTL_MS,
  };
}
export type LimitsView = ReturnType<typeof limitsView>;

export function queueView() {
  return backendRequest({ method: "GET", path: "/internal/admin/queue", schema: queueStateSchema });
}

export async function blocksView(db: DatabaseHandle) {
  const blocks = await listActiveBlocks(db, { limit: LIMITS.blocks.LIST_MAX });
  return Promise.all(
    blocks.map(async (block) => ({
      id: block.id,
      kind: block.kind,
      target: block.target,
      // Account blocks store the user id; the email is what an admin recognises.
      label:
        block.kind === "account"
          ? ((await findUserById(db, { id: block.target }))?.email ?? block.target)
          : block.target,
      reason: block.reason,
      source: block.source,
      createdAt: block.createdAt.toISOString(),
      expiresAt: block.expiresAt?.toISOString() ?? null,
    })),
  );
}
export type BlockView = Awaited<ReturnType<typeof blocksView>>[number];

export async function usersView(db: DatabaseHandle, query?: string) {
  const [users, blocks] = await Promise.all([
    listUsers(db, { query, limit: LIMITS.admin.USER_LIST_MAX }),
    listActiveBlocks(db, { limit: LIMITS.blocks.LIST_MAX }),
  ]);
  return users.map((user) => {
    const block = blocks.find((entry) => entry.kind === "account" && entry.target === user.id);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      tier: user.tier,
      createdAt: user.createdAt.toISOString(),
      block: block ? { id: block.id, expiresAt: block.expiresAt?.toISOString() ?? null } : null,
    };
  });
}
export type UserView = Awaited<ReturnType<typeof usersView>>[number];

export async function auditView(db: DatabaseHandle) {
  const entries = await listAudit(db, { limit: LIMITS.admin.AUDIT_LIST_MAX });
  return entries.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() }));
}
export type AuditView = Awaited<ReturnType<typeof auditView>>[number];
