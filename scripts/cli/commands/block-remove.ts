import { z } from "zod";
import { liftBlock } from "@/app/_server/admin/admin-actions";
import { listActiveBlocks } from "@/app/_server/db/queries/blocks";
import { findUserByEmail } from "@/app/_server/db/queries/users";
import { LIMITS } from "@/lib/limits";
import { formatCidr, parseCidr } from "@/lib/net/cidr";
import { defineCommand, UsageError } from "../command";
import { asOperator, CLI_ACTOR } from "./operator";

export const blockRemove = defineCommand({
  name: "block:remove",
  summary: "Lift a block by its id, or every block on an address/range or an account",
  usage: "block:remove (--id ID | --ip ADDRESS_OR_CIDR | --email E)",
  flags: { id: { type: "string" }, ip: { type: "string" }, email: { type: "string" } },
  schema: z
    .object({
      id: z.uuid().optional(),
      ip: z.string().trim().min(1).max(200).optional(),
      email: z.string().trim().toLowerCase().min(3).max(254).optional(),
    })
    .refine((input) => [input.id, input.ip, input.email].filter(Boolean).length === 1, {
      path: ["id"],
      message: "give exactly one of --id, --ip or --email",
    }),
  async run({ id, ip, email }, { db, print }) {
    let ids: string[];
    if (id) ids = [id];
    else {
      const range = ip ? parseCidr(ip) : undefined;
      if (ip && !range) throw new UsageError(`--ip: ${ip} is not an IP address or CIDR range`);
      const user = email ? await findUserByEmail(db, { email }) : undefined;
      if (email && !user) throw new UsageError(`${email}: no such account`);
      const target = range ? formatCidr(range) : user?.id;
      const live = await listActiveBlocks(db, { limit: LIMITS.blocks.LIST_MAX });
      ids = live.filter((block) => block.target === target).map((block) => block.id);
      if (ids.length === 0) throw new UsageError("no block in force matches");
    }
    for (const blockId of ids) {
      const block = await asOperator(() => liftBlock(db, CLI_ACTOR, blockId));
      print(`lifted ${block.kind} block ${block.id}`);
    }
  },
});
