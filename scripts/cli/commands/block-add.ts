import { z } from "zod";
import { addBlock } from "@/app/_server/admin/admin-actions";
import { LIMITS } from "@/lib/limits";
import { defineCommand } from "../command";
import { asOperator, CLI_ACTOR } from "./operator";

export const blockAdd = defineCommand({
  name: "block:add",
  summary: `Block an IP address, a CIDR range or an account (running web processes see it within ${LIMITS.blocks.CACHE_TTL_MS / 1000} s)`,
  usage: "block:add (--ip ADDRESS_OR_CIDR | --email E) [--reason R] [--hours H]",
  flags: {
    ip: { type: "string" },
    email: { type: "string" },
    reason: { type: "string" },
    hours: { type: "string" },
  },
  schema: z
    .object({
      ip: z.string().trim().min(1).max(200).optional(),
      email: z.string().trim().toLowerCase().min(3).max(254).optional(),
      reason: z.string().trim().max(LIMITS.blocks.REASON_MAX_CHARS).optional(),
      hours: z.coerce.number().positive().max(87_600).optional(),
    })
    .refine((input) => Boolean(input.ip) !== Boolean(input.email), {
      path: ["ip"],
      message: "give exactly one of --ip or --email",
    }),
  async run({ ip, email, reason, hours }, { db, print }) {
    const block = await asOperator(() =>
      addBlock(db, CLI_ACTOR, {
        kind: ip ? "network" : "account",
        target: ip ?? email ?? "",
        reason,
        expiresInSeconds: hours ? Math.round(hours * 3600) : undefined,
      }),
    );
    print(
      `blocked ${ip ? block.target : email} (id ${block.id}) ${block.expiresAt ? `until ${block.expiresAt.toISOString()}` : "until lifted"}`,
    );
  },
});
