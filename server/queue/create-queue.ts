/**
 * The queue this install uses: BullMQ when REDIS_URL is set (several backend machines share
 * it), otherwise the embedded queue in the app's own database (one machine, nothing to run).
 */
import type { Logger } from "pino";
import type { Config } from "@/lib/config/schema";
import type { DatabaseHandle } from "@/lib/node/db/connect";
import { BullmqQueue } from "@/server/queue/bullmq-queue";
import { EmbeddedQueue } from "@/server/queue/embedded-queue";
import type { JobQueue } from "@/server/queue/types";

export async function createQueue(options: {
  config: Pick<Config, "redisUrl">;
  db: DatabaseHandle;
  logger?: Logger;
}): Promise<JobQueue> {
  const { config, db, logger } = options;
  if (config.redisUrl) return new BullmqQueue({ url: config.redisUrl, logger });
  return new EmbeddedQueue(db, { logger });
}
