import { z } from "zod";
import { createUser, EmailTakenError } from "@/app/_server/db/queries/users";
import { emailSchema, newPasswordSchema } from "@/lib/schemas/account";
import { defineCommand, UsageError } from "../command";

export const userCreate = defineCommand({
  name: "user:create",
  summary: "Create an account (use --admin for an operator account)",
  usage: "user:create --email E --password P [--name N] [--admin]",
  flags: {
    email: { type: "string" },
    password: { type: "string" },
    name: { type: "string" },
    admin: { type: "boolean", default: false },
  },
  schema: z.object({
    email: emailSchema,
    password: newPasswordSchema,
    name: z.string().trim().max(100).optional(),
    admin: z.boolean(),
  }),
  async run(input, { db, print }) {
    try {
      const user = await createUser(db, { ...input, role: input.admin ? "admin" : "user" });
      print(`created ${user.role} ${user.email} (id ${user.id})`);
    } catch (error) {
      if (error instanceof EmailTakenError) throw new UsageError(`${input.email}: ${error.message}`);
      throw error;
    }
  },
});
