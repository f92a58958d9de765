/**
 * What an admin can change, shared by /api/admin/* and the admin page: each action validates
 * its target, does the work, drops the process's block cache when blocks change, and writes
 * one audit entry (who, what, on what, from where; never a secret).
 */
import { blockList } from "@/app/_server/blocks/blocks";
import { recordAudit } from "@/app/_server/db/queries/audit-log";
import { type BlockRecord, deleteBlock, findBlockById, insertBlock } from "@/app/_server/db/queries/blocks";
import {
  findUserByEmail,
  findUserById,
  setRole,
  setTier,
  type UserRecord,
} from "@/app/_server/db/queries/users";
import { ApiError } from "@/lib/errors";
import { formatCidr, parseCidr } from "@/lib/net/cidr";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import type { BlockRequest, UserUpdate } from "@/lib/schemas/admin";

export interface AdminActor {
  /** Null for the command line, which has no account behind it. */
  id: string | null;
  email: string;
  ip: string | null;
}

async function findAccount(db: DatabaseHandle, target: string): Promise<UserRecord> {
  const user = target.includes("@")
    ? await findUserByEmail(db, { email: target.toLowerCase() })
    : await findUserById(db, { id: target });
  if (!user) throw new ApiError("not_found", "user", `No account ${target}`);
  return user;
}

function expiryOf(input: BlockRequest, now: Date): Date | null {
  if (input.expiresInSeconds) return new Date(now.getTime() + input.expiresInSeconds * 1000);
  if (!input.expiresAt) return null;
  const at = new Date(input.expiresAt);
  if (at <= now) {
    throw new ApiError("unprocessable", "block", "The expiry is in the past", [
      { path: "expiresAt", message: "must be in the future" },
    ]);
  }
  return at;
}

export async function addBlock(db: DatabaseHandle, actor: AdminActor, input: BlockRequest) {
  const expiresAt = expiryOf(input, new Date());
  let target: string;
  let shown: string;
  if (input.kind === "network") {
    const range = parseCidr(input.target);
    if (!range) {
      throw new ApiError("unprocessable", "block", "Not an IP address or CIDR range", [
        { path: "target", message: "must be an IPv4 or IPv6 address or range, e.g. 203.0.113.0/24" },
      ]);
    }
    target = formatCidr(range);
    shown = target;
  } else {
    const user = await findAccount(db, input.target);
    if (user.id === actor.id) throw new ApiError("conflict", "block", "You cannot block your own account");
    target = user.id;
    shown = user.email;
  }
  const block = await insertBlock(db, {
    kind: input.kind,
    target,
    reason: input.reason,
    source: "admin",
    createdBy: actor.id,
    expiresAt,
  });
  blockList().invalidate();
  await recordAudit(db, {
    actorId: actor.id,
    actorEmail: actor.email,
    ip: actor.ip,
    action: "block.add",
    target: shown,
    detail: {
      kind: block.kind,
      blockId: block.id,
      reason: block.reason,
      expiresAt: expiresAt?.toISOString() ?? null,
    },
  });
  return block;
}

export async function liftBlock(db: DatabaseHandle, actor: AdminActor, id: string): Promise<BlockRecord> {
  const block = await findBlockById(db, id);
  if (!block || !(await deleteBlock(db, id))) throw new ApiError("not_found", "block", "No such block");
  blockList().invalidate();
  const shown =
    block.kind === "account"
      ? ((await findUserById(db, { id: block.target }))?.email ?? block.target)
      : block.target;
  await recordAudit(db, {
    actorId: actor.id,
    actorEmail: actor.email,
    ip: actor.ip,
    action: "block.remove",
    target: shown,
    detail: { kind: block.kind, blockId: block.id, source: block.source },
  });
  return block;
}

type UserField = keyof UserUpdate;

/** The account fields an admin may change, in the order a change applies them, each with its setter. */
const USER_FIELDS = ["role", "tier"] as const satisfies readonly UserField[];
const SETTERS: {
  [F in UserField]: (db: DatabaseHandle, userId: string, to: UserRecord[F]) => Promise<void>;
} = {
  role: (db, userId, role) => setRole(db, { userId, role }),
  tier: (db, userId, tier) => setTier(db, { userId, tier }),
};

/** Sets one field when it really changes, and audits it as `user.<field>` with where it came from. */
async function changeField<F extends UserField>(
  db: DatabaseHandle,
  actor: AdminActor,
  user: UserRecord,
  field: F,
  to: UserRecord[F] | undefined,
) {
  if (!to || to === user[field]) return;
  await SETTERS[field](db, user.id, to);
  await recordAudit(db, {
    actorId: actor.id,
    actorEmail: actor.email,
    ip: actor.ip,
    action: `user.${field}`,
    target: user.email,
    detail: { from: user[field], to },
  });
}

export async function updateUser(db: DatabaseHandle, actor: AdminActor, userId: string, change: UserUpdate) {
  const user = await findAccount(db, userId);
  // An admin cannot lock everyone out by demoting themselves; another admin (or the CLI) can.
  if (change.role === "user" && user.id === actor.id) {
    throw new ApiError("conflict", "user", "You cannot remove your own admin role");
  }
  for (const field of USER_FIELDS) await changeField(db, actor, user, field, change[field]);
  const updated = await findUserById(db, { id: user.id });
  if (!updated) throw new ApiError("not_found", "user", "No such account");
  return updated;
}
