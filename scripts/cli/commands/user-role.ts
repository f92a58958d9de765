import { z } from "zod";
import { updateUser } from "@/app/_server/admin/admin-actions";
import { findUserByEmail } from "@/app/_server/db/queries/users";
import { emailSchema } from "@/lib/schemas/account";
import { USER_ROLES } from "@/lib/schemas/admin";
import { defineCommand, UsageError } from "../command";
import { asOperator, CLI_ACTOR } from "./operator";

export const userRole = defineCommand({
  name: "user:role",
  summary: "Make an account an admin or a plain user (audited; effective on its next request)",
  usage: "user:role --email E --role user|admin",
  flags: { email: { type: "string" }, role: { type: "string" } },
  schema: z.object({ email: emailSchema, role: z.enum(USER_ROLES) }),
  async run({ email, role }, { db, print }) {
    const user = await findUserByEmail(db, { email });
    if (!user) throw new UsageError(`${email}: no such account`);
    const updated = await asOperator(() => updateUser(db, CLI_ACTOR, user.id, { role }));
    print(`${updated.email} is now ${updated.role}`);
  },
});
