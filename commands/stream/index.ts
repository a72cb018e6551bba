/** The stream command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { xadd } from './xadd.js';
import { xrange, xrevrange } from './xrange.js';
import { xlen } from './xlen.js';
import { xdel } from './xdel.js';
import { xtrim } from './xtrim.js';
import { xsetid } from './xsetid.js';
import { xread } from './xread.js';

export const streamCommands: CommandSpec[] = [
  xadd,
  xrange,
  xrevrange,
  xlen,
  xdel,
  xtrim,
  xsetid,
  xread,
];
