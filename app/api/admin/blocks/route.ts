/** GET /api/admin/blocks lists the blocks in force; POST adds one (network range or account). */
import { addBlock } from "@/app/_server/admin/admin-actions";
import { adminRoute } from "@/app/_server/admin/admin-route";
import { blocksView } from "@/app/_server/admin/admin-views";
import { readJson } from "@/app/_server/http/read-body";
import { LIMITS } from "@/lib/limits";
import { blockRequestSchema } from "@/lib/schemas/admin";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute(async (_request, { db }) => ({ blocks: await blocksView(db) }));

export const POST = adminRoute(
  async (request, { db, actor }) => {
    const input = await readJson(request, blockRequestSchema, LIMITS.http.MAX_JSON_BODY_BYTES);
    const block = await addBlock(db, actor, input);
    return {
      id: block.id,
      kind: block.kind,
      target: block.target,
      reason: block.reason,
      source: block.source,
      expiresAt: block.expiresAt?.toISOString() ?? null,
    };
  },
  { status: 201 },
);
