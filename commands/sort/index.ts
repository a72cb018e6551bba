/** SORT and SORT_RO, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { sort, sortRo } from './sort.js';

export const sortCommands: CommandSpec[] = [sort, sortRo];
