import { z } from "zod";
import { updateUser } from "@/app/_server/admin/admin-actions";
import { findUserByEmail } from "@/app/_server/db/queries/users";
import { emailSchema } from "@/lib/schemas/account";
import { USER_TIERS } from "@/lib/schemas/admin";
import { defineCommand, UsageError } from "../command";
import { asOperator, CLI_ACTOR } from "./operator";

export const userTier = defineCommand({
  name: "user:tier",
  summary: "Move an account to the free or pro tier (limits, quotas and retention follow; audited)",
  usage: "user:tier --email E --tier free|pro",
  flags: { email: { type: "string" }, tier: { type: "string" } },
  schema: z.object({ email: emailSchema, tier: z.enum(USER_TIERS) }),
  async run({ email, tier }, { db, print }) {
    const user = await findUserByEmail(db, { email });
    if (!user) throw new UsageError(`${email}: no such account`);
    const updated = await asOperator(() => updateUser(db, CLI_ACTOR, user.id, { tier }));
    print(`${updated.email} is now on the ${updated.tier} tier`);
  },
});
