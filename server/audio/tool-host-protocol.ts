/**
 * Messages between a worker process and its tool host (tool-host.ts). Both ends parse them: the
 * host runs tools on hostile files, so what it says back is data to check, like a worker's words.
 */
import { z } from "zod";

/** Bytes as structured clone carries them (a Buffer arrives as a Uint8Array). */
const bytes = z.custom<Uint8Array<ArrayBufferLike>>((value) => value instanceof Uint8Array, "expected bytes");

export const toolRequestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run"),
    id: z.number().int().nonnegative(),
    command: z.string().min(1),
    args: z.array(z.string()),
    timeoutMs: z.number().positive(),
    maxStdoutBytes: z.number().int().nonnegative(),
    cwd: z.string().optional(),
    input: z.union([z.string(), bytes]).optional(),
  }),
  z.object({ type: z.literal("abort"), id: z.number().int().nonnegative() }),
]);
export type ToolRequest = z.infer<typeof toolRequestSchema>;

export const toolReplySchema = z.union([
  z.object({ type: z.literal("ready") }),
  z.object({
    type: z.literal("result"),
    id: z.number().int().nonnegative(),
    code: z.number().int().nullable(),
    stdout: bytes,
    stderr: z.string(),
    stopped: z.enum(["timeout", "output_limit", "abort"]).optional(),
  }),
  z.object({
    type: z.literal("error"),
    id: z.number().int().nonnegative(),
    message: z.string(),
    /** The spawn error's code (ENOENT: the tool is not installed), so callers can fall back. */
    code: z.string().optional(),
  }),
]);
export type ToolReply = z.infer<typeof toolReplySchema>;
