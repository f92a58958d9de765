/**
 * The process's block list (shared by proxy.ts and the route handlers, which Next bundles
 * separately, through one global slot) and the checks each layer makes with it: the client
 * address in the proxy, the account and API key where the caller is resolved.
 */

import { BlockList } from "@/app/_server/blocks/block-list";
import { BlockedError } from "@/app/_server/blocks/blocked-error";
import { getDatabase } from "@/app/_server/db/client";
import { loadActiveBlocks } from "@/app/_server/db/queries/blocks";
import { LIMITS } from "@/lib/limits";
import { getConfig } from "@/lib/node/config";
import { clientIpAddress } from "@/lib/rate-limit/identity";

const SHARED_KEY = Symbol.for("parla.block-list");

export function blockList(): BlockList {
  const holder = globalThis as typeof globalThis & { [SHARED_KEY]?: BlockList };
  holder[SHARED_KEY] ??= new BlockList({
    load: async () => loadActiveBlocks(await getDatabase()),
    ttlMs: LIMITS.blocks.CACHE_TTL_MS,
  });
  return holder[SHARED_KEY];
}

/** The settled client address of a request (see lib/http/forwarded-for.ts). */
export function requestAddress(request: Request): string {
  return clientIpAddress(request.headers.get("x-forwarded-for"), getConfig().trustProxyHops);
}

/** For proxy.ts: the refusal when the client's address is in a blocked range, else undefined. */
export async function addressBlock(request: Request): Promise<BlockedError | undefined> {
  const block = await blockList().matchAddress(requestAddress(request));
  return block && new BlockedError("network", block.expiresAt);
}

/** Throws BlockedError when the caller's account or API key is blocked. */
export async function assertCallerNotBlocked(caller: { userId: string; apiKeyId?: string }): Promise<void> {
  const list = blockList();
  const account = await list.matchAccount(caller.userId);
  if (account) throw new BlockedError("account", account.expiresAt);
  const key = caller.apiKeyId ? await list.matchApiKey(caller.apiKeyId) : undefined;
  if (key) throw new BlockedError("api_key", key.expiresAt);
}
