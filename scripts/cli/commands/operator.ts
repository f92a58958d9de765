/**
 * The command line acts as an admin without an account behind it: audited as "cli", and an
 * ApiError from the shared admin actions becomes a usage error (exit 2) with its message.
 */
import type { AdminActor } from "@/app/_server/admin/admin-actions";
import { ApiError } from "@/lib/errors";
import { UsageError } from "../command";

export const CLI_ACTOR: AdminActor = { id: null, email: "cli", ip: null };

export async function asOperator<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError) {
      const details = (error.issues ?? []).map((issue) => `\n  ${issue.path}: ${issue.message}`).join("");
      throw new UsageError(`${error.message}${details}`);
    }
    throw error;
  }
}
