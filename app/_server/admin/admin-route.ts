/** The shape of every /api/admin/* handler: admin gate first, then the work, never cached. */

import type { AdminActor } from "@/app/_server/admin/admin-actions";
import { requireAdmin } from "@/app/_server/admin/require-admin";
import { requestAddress } from "@/app/_server/blocks/blocks";
import { getDatabase } from "@/app/_server/db/client";
import { apiRoute } from "@/app/_server/http/api-route";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export interface AdminContext {
  actor: AdminActor;
  db: DatabaseHandle;
}

export function adminRoute<A extends unknown[]>(
  handler: (request: Request, admin: AdminContext, ...rest: A) => Promise<unknown>,
  options: { status?: number } = {},
) {
  return apiRoute(async (request: Request, ...rest: A) => {
    const caller = await requireAdmin(request);
    const actor = { id: caller.id, email: caller.email, ip: requestAddress(request) };
    const body = await handler(request, { actor, db: await getDatabase() }, ...rest);
    return Response.json(body, { status: options.status ?? 200, headers: { "Cache-Control": "no-store" } });
  });
}
