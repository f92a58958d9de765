/** GET /api/admin/audit: the latest admin actions, newest first. */
import { adminRoute } from "@/app/_server/admin/admin-route";
import { auditView } from "@/app/_server/admin/admin-views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute(async (_request, { db }) => ({ entries: await auditView(db) }));
