/** Every operator command. New commands are added here. */
import type { Command } from "../command";
import { keyCreate } from "./key-create";
import { keyRevoke } from "./key-revoke";
import { userCreate } from "./user-create";

export const COMMANDS: Command[] = [userCreate, keyCreate, keyRevoke] as unknown as Command[];
