/** GET /api/admin/limits: the policy table in force (rate limits, quotas and caps per tier). */
import { adminRoute } from "@/app/_server/admin/admin-route";
import { limitsView } from "@/app/_server/admin/admin-views";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = adminRoute(async () => limitsView());
