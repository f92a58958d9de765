/** REDIS_URL names a port nothing listens on: every connection is refused at once. */
import { describeRedisOutage } from "./redis-outage-suite";

describeRedisOutage("refusing connections (127.0.0.1:1)", async () => "redis://127.0.0.1:1");
