/**
 * The blocks in force, cached in process for LIMITS.blocks.CACHE_TTL_MS so the proxy does not
 * read the database on every request. Anything that adds or lifts a block in this process calls
 * invalidate(), so it is enforced on the very next request here; other processes (another web
 * instance, the CLI) see the change when their copy runs out, within the TTL. Expiry is checked
 * at match time, so a block never outlives its expires_at because of the cache.
 */
import type { BlockKind, BlockRecord } from "@/app/_server/db/queries/blocks";
import { type CidrRange, parseCidr, parseIp, rangeContains } from "@/lib/net/cidr";

interface Snapshot {
  loadedAtMs: number;
  networks: { range: CidrRange; block: BlockRecord }[];
  byTarget: Map<string, BlockRecord>;
}

export interface BlockListOptions {
  load: () => Promise<BlockRecord[]>;
  ttlMs: number;
  now?: () => number;
}

const targetKey = (kind: BlockKind, target: string) => `${kind}:${target}`;

export class BlockList {
  private snapshot: Snapshot | undefined;
  /** The last list read, served when a reload fails (a database hiccup must not lift every block). */
  private lastGood: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: BlockListOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Drops the cached copy: the next match reads the database. */
  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.loading = undefined;
  }

  async matchAddress(address: string): Promise<BlockRecord | undefined> {
    const ip = parseIp(address);
    if (!ip) return undefined;
    const snapshot = await this.current();
    const now = this.now();
    return snapshot.networks.find(({ range, block }) => isLive(block, now) && rangeContains(range, ip))
      ?.block;
  }

  async matchAccount(userId: string): Promise<BlockRecord | undefined> {
    return this.matchTarget("account", userId);
  }

  async matchApiKey(keyId: string): Promise<BlockRecord | undefined> {
    return this.matchTarget("api_key", keyId);
  }

  private async matchTarget(kind: BlockKind, target: string): Promise<BlockRecord | undefined> {
    const block = (await this.current()).byTarget.get(targetKey(kind, target));
    return block && isLive(block, this.now()) ? block : undefined;
  }

  private current(): Promise<Snapshot> {
    const cached = this.snapshot;
    if (cached && this.now() - cached.loadedAtMs < this.options.ttlMs) return Promise.resolve(cached);
    if (!this.loading) {
      const generation = this.generation;
      const loading = this.options
        .load()
        .then(
          (rows) => build(rows, this.now()),
          (error: unknown) => {
            if (this.lastGood) return this.lastGood;
            throw error;
          },
        )
        .then((snapshot) => {
          this.lastGood = snapshot;
          // A block changed while this load ran: keep serving it, but do not cache it.
          if (generation === this.generation) this.snapshot = snapshot;
          return snapshot;
        })
        .finally(() => {
          if (this.loading === loading) this.loading = undefined;
        });
      this.loading = loading;
    }
    return this.loading;
  }
}

function isLive(block: BlockRecord, nowMs: number): boolean {
  return block.expiresAt === null || block.expiresAt.getTime() > nowMs;
}

function build(rows: BlockRecord[], loadedAtMs: number): Snapshot {
  const networks: Snapshot["networks"] = [];
  const byTarget = new Map<string, BlockRecord>();
  for (const block of rows) {
    if (block.kind === "network") {
      const range = parseCidr(block.target);
      if (range) networks.push({ range, block });
    } else {
      const key = targetKey(block.kind, block.target);
      const held = byTarget.get(key);
      // Of two blocks on one target, the one that lasts longer is the one in force.
      if (!held || lastsLonger(block, held)) byTarget.set(key, block);
    }
  }
  return { loadedAtMs, networks, byTarget };
}

function lastsLonger(a: BlockRecord, b: BlockRecord): boolean {
  if (a.expiresAt === null) return true;
  return b.expiresAt !== null && a.expiresAt > b.expiresAt;
}
