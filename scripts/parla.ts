/** `npm run parla -- <command>`: the operators' command line. */
import { loadConfig } from "@/lib/node/config";
import { COMMANDS } from "./cli/commands";
import { runCli } from "./cli/run-cli";

const code = await runCli(process.argv.slice(2), COMMANDS, loadConfig(), {
  print: (line) => console.log(line),
  error: (line) => console.error(line),
});
process.exit(code);
