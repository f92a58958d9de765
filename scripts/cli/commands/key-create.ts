import { z } from "zod";
import { createApiKey } from "@/app/_server/db/queries/api-keys";
import { findUserByEmail } from "@/app/_server/db/queries/users";
import { emailSchema } from "@/lib/schemas/account";
import { ADMIN_API_KEY_SCOPE, operatorApiKeyScopesSchema } from "@/lib/schemas/api-keys";
import { defineCommand, UsageError } from "../command";

export const keyCreate = defineCommand({
  name: "key:create",
  summary: "Create an API key for an account and print it once",
  usage: "key:create --email E --scopes speech,transcription,results[,admin]",
  flags: { email: { type: "string" }, scopes: { type: "string" } },
  schema: z.object({ email: emailSchema, scopes: operatorApiKeyScopesSchema }),
  async run({ email, scopes }, { db, print }) {
    const user = await findUserByEmail(db, { email });
    if (!user) throw new UsageError(`${email}: no such account`);
    // The admin scope is only ever given to an admin's key (and is re-checked on every use).
    if (scopes.includes(ADMIN_API_KEY_SCOPE) && user.role !== "admin") {
      throw new UsageError(`${email}: only an admin's key may have the admin scope`);
    }
    const { key, record } = await createApiKey(db, { userId: user.id, scopes });
    // The only time the key is shown: Parla keeps its hash alone.
    print(key);
    print(`created ${record.prefix}… for ${user.email} with scopes ${scopes.join(",")}`);
  },
});
