/** The server command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';

export const serverCommands: CommandSpec[] = [];
