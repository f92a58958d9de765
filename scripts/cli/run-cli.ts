/** Parses `parla <command> --flags`, validates them with the command's schema and runs it. */
import { parseArgs } from "node:util";
import type { Config } from "@/lib/config/schema";
import { openDatabase } from "@/lib/node/db/connect";
import { type Command, UsageError } from "./command";

function help(commands: Command[]): string {
  return [
    "Usage: npm run parla -- <command> [flags]",
    "",
    ...commands.map((c) => `  ${c.usage}\n      ${c.summary}`),
  ].join("\n");
}

/** Returns the exit code: 0 done, 2 bad usage or input. */
export async function runCli(
  argv: string[],
  commands: Command[],
  config: Config,
  io: { print: (line: string) => void; error: (line: string) => void },
): Promise<number> {
  const [name, ...rest] = argv;
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.error(name && name !== "help" && name !== "--help" ? `Unknown command: ${name}\n` : "");
    io.error(help(commands));
    return name === "help" || name === "--help" ? 0 : 2;
  }
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: rest, options: command.flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    io.error(`${(error as Error).message}\nUsage: npm run parla -- ${command.usage}`);
    return 2;
  }
  const parsed = command.schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) io.error(`--${issue.path.join(".")}: ${issue.message}`);
    io.error(`Usage: npm run parla -- ${command.usage}`);
    return 2;
  }
  const db = await openDatabase(config.database, { migrate: true });
  try {
    await command.run(parsed.data, { db, print: io.print });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
}
