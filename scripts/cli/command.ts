/** The shape of an operator command: a name, its flags (checked with zod) and what it does. */
import type { ParseArgsConfig } from "node:util";
import type { z } from "zod";
import type { DatabaseHandle } from "@/lib/node/db/connect";

export interface CommandContext {
  db: DatabaseHandle;
  print: (line: string) => void;
}

export interface Command<Schema extends z.ZodType = z.ZodType> {
  name: string;
  summary: string;
  usage: string;
  flags: NonNullable<ParseArgsConfig["options"]>;
  schema: Schema;
  run(input: z.infer<Schema>, context: CommandContext): Promise<void>;
}

/** Keeps each command's input type tied to its schema. */
export function defineCommand<Schema extends z.ZodType>(command: Command<Schema>): Command<Schema> {
  return command;
}

/** A failure the operator caused: printed without a stack, exit code 2. */
export class UsageError extends Error {}
