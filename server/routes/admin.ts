/** Signed queue state for the admin page: job counts by status, the caps, the busy workers. */
import { Hono } from "hono";
import { countJobsByStatus } from "@/app/_server/db/queries/jobs";
import type { Config } from "@/lib/config/schema";
import { LIMITS } from "@/lib/limits";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import type { QueueState } from "@/lib/schemas/admin";

export interface AdminRoutesDeps {
  config: Pick<Config, "redisUrl">;
  db: DatabaseHandle;
  pool?: { readonly busy: number };
}

export function adminRoutes({ config, db, pool }: AdminRoutesDeps) {
  return new Hono().get("/admin/queue", async (c) =>
    c.json({
      jobs: await countJobsByStatus(db),
      maxDepth: LIMITS.queue.MAX_DEPTH,
      maxActivePerUser: LIMITS.queue.MAX_ACTIVE_JOBS_PER_USER,
      workersBusy: pool ? pool.busy : null,
      queue: config.redisUrl ? "bullmq" : "embedded",
    } satisfies QueueState),
  );
}
