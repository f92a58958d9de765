/**
 * Turns an abusive identity into a block: an account, an API key, or a network address (an
 * IPv6 client as its /64, the same unit the rate limits count). Idempotent: an identity that
 * is already blocked is left as it is, so a burst of strikes places one block.
 */
import { blockList } from "@/app/_server/blocks/blocks";
import { recordAudit } from "@/app/_server/db/queries/audit-log";
import {
  type BlockKind,
  deleteExpiredBlocks,
  findActiveBlock,
  insertBlock,
} from "@/app/_server/db/queries/blocks";
import { formatCidr, parseCidr } from "@/lib/net/cidr";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import type { Strike } from "@/lib/rate-limit/abuse-monitor";

/** identityKey() → the block it becomes, or undefined for an identity that cannot be blocked. */
export function blockTargetOf(identity: string): { kind: BlockKind; target: string } | undefined {
  const [prefix, ...rest] = identity.split(":");
  const value = rest.join(":");
  if (!value) return undefined;
  if (prefix === "user") return { kind: "account", target: value };
  if (prefix === "key") return { kind: "api_key", target: value };
  if (prefix === "ip") {
    const range = parseCidr(value);
    return range && { kind: "network", target: formatCidr(range) };
  }
  return undefined;
}

const REASONS: Record<Strike, string> = {
  rate_limited: "Automatic: kept hitting rate limits",
  invalid: "Automatic: kept sending invalid requests",
};

export async function placeAutomaticBlock(
  db: DatabaseHandle,
  { identity, strike, blockSeconds }: { identity: string; strike: Strike; blockSeconds: number },
): Promise<void> {
  const target = blockTargetOf(identity);
  if (!target || (await findActiveBlock(db, target))) return;
  // Automatic blocks are what accumulates: each new one clears those that have run out.
  await deleteExpiredBlocks(db);
  const block = await insertBlock(db, {
    ...target,
    reason: REASONS[strike],
    source: "automatic",
    expiresAt: new Date(Date.now() + blockSeconds * 1000),
  });
  blockList().invalidate();
  await recordAudit(db, {
    actorEmail: "system",
    action: "block.auto",
    target: target.target,
    detail: { kind: target.kind, blockId: block.id, strike, expiresAt: block.expiresAt?.toISOString() },
  });
}
