/** Every operator command. New commands are added here. */
import type { Command } from "../command";
import { userCreate } from "./user-create";

export const COMMANDS: Command[] = [userCreate as unknown as Command];
