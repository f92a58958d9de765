import { z } from "zod";
import { revokeApiKey } from "@/app/_server/db/queries/api-keys";
import { API_KEY_PATTERN } from "@/lib/schemas/api-keys";
import { defineCommand, UsageError } from "../command";

export const keyRevoke = defineCommand({
  name: "key:revoke",
  summary: "Revoke an API key at once",
  usage: "key:revoke --key K",
  flags: { key: { type: "string" } },
  schema: z.object({ key: z.string().regex(API_KEY_PATTERN, "must be a Parla API key") }),
  async run({ key }, { db, print }) {
    if (!(await revokeApiKey(db, { key }))) throw new UsageError("no live key matches");
    print("revoked");
  },
});
