/** zValidator with our error shape: a failed parse becomes a 400 whose message names each field. */
import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { ApiError, issuesFromZod } from "@/lib/errors";

export function validateJson<T extends z.ZodType>(schema: T) {
  return zValidator("json", schema, (result) => {
    if (result.success) return;
    const issues = issuesFromZod(result.error.issues);
    const fields = [...new Set(issues.map((issue) => issue.path))].join(", ");
    throw new ApiError("bad_request", "body", `Invalid request body: ${fields}`, issues);
  });
}
