/** Every operator command. New commands are added here. */
import type { Command } from "../command";
import { blockAdd } from "./block-add";
import { blockRemove } from "./block-remove";
import { keyCreate } from "./key-create";
import { keyRevoke } from "./key-revoke";
import { userCreate } from "./user-create";
import { userRole } from "./user-role";
import { userTier } from "./user-tier";

export const COMMANDS: Command[] = [
  userCreate,
  userRole,
  userTier,
  keyCreate,
  keyRevoke,
  blockAdd,
  blockRemove,
] as unknown as Command[];
