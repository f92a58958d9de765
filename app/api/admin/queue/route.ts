/** GET /api/admin/queue: the backend's job counts by status, its caps and its busy workers. */
import { adminRoute } from "@/app/_server/admin/admin-route";
import { queueView } from "@/app/_server/admin/admin-views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute(async () => queueView());
