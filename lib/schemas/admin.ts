/** Admin API inputs, shared by /api/admin/* and the admin page's actions. */
import { z } from "zod";
import { LIMITS } from "@/lib/limits";

export const USER_ROLES = ["user", "admin"] as const;
export const USER_TIERS = ["free", "pro"] as const;

/** Longest block an admin can set with a duration (ten years); no expiry at all means "until lifted". */
const MAX_BLOCK_SECONDS = 10 * 365 * 24 * 60 * 60;

export const blockRequestSchema = z
  .object({
    /** A network (one address or a CIDR range, IPv4 or IPv6) or an account (email or user id). */
    kind: z.enum(["network", "account"]),
    target: z.string().trim().min(1, "is required").max(200),
    reason: z
      .string()
      .trim()
      .max(LIMITS.blocks.REASON_MAX_CHARS)
      .optional()
      .transform((value) => value || undefined),
    /** Either a moment in the future or a duration; neither means until an admin lifts it. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    expiresInSeconds: z.number().int().min(1).max(MAX_BLOCK_SECONDS).optional(),
  })
  .refine((input) => !(input.expiresAt && input.expiresInSeconds), {
    path: ["expiresAt"],
    message: "give expiresAt or expiresInSeconds, not both",
  });
export type BlockRequest = z.infer<typeof blockRequestSchema>;

export const userUpdateSchema = z
  .object({ role: z.enum(USER_ROLES).optional(), tier: z.enum(USER_TIERS).optional() })
  .refine((input) => input.role || input.tier, { path: ["role"], message: "give a role or a tier" });
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const userSearchSchema = z.object({ q: z.string().trim().max(254).optional() });

/** The backend's queue state (GET /internal/admin/queue), parsed on the web side. */
export const queueStateSchema = z.object({
  jobs: z.object({
    queued: z.number().int().nonnegative(),
    running: z.number().int().nonnegative(),
    succeeded: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    canceled: z.number().int().nonnegative(),
  }),
  maxDepth: z.number().int().positive(),
  maxActivePerUser: z.number().int().positive(),
  workersBusy: z.number().int().nonnegative().nullable(),
  queue: z.enum(["embedded", "bullmq"]),
});
export type QueueState = z.infer<typeof queueStateSchema>;
