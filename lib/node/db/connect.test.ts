import { describe, expect, it } from "vitest";
import { adminQuery, describePostgres } from "@/test/databases";

describe("the PostgreSQL handle", () => {
  describePostgres("connections", (get, database) => {
    it("outlives the server ending its idle sessions: no crash, and the next query connects again", async () => {
      const { db, tables } = get();
      await db.select().from(tables.users).limit(1);
      // The pool now holds an idle session; the server ends it, as a restart or failover would.
      const ended = await adminQuery<{ ended: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1",
        [database],
      );
      expect(ended.length).toBeGreaterThan(0);
      // Long enough for the FATAL to reach the idle client (unheard, it would crash this process).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(db.select().from(tables.users).limit(1)).resolves.toEqual([]);
    });
  });
});
