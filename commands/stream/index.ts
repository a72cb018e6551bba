/** The stream command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { xadd } from './xadd.js';
import { xrange, xrevrange } from './xrange.js';
import { xlen } from './xlen.js';
import { xdel } from './xdel.js';
import { xtrim } from './xtrim.js';
import { xsetid } from './xsetid.js';
import { xread } from './xread.js';
// Consumer groups.
import { xgroup } from './xgroup.js';
import { xreadgroup } from './xreadgroup.js';
import { xack } from './xack.js';
import { xpending } from './xpending.js';
import { xclaim } from './xclaim.js';
import { xautoclaim } from './xautoclaim.js';
import { xinfo } from './xinfo.js';
// Redis 8 additions (issue 9).
import { xdelex } from './xdelex.js';
import { xackdel } from './xackdel.js';
import { xcfgset } from './xcfgset.js';
import { xidmprecord } from './xidmprecord.js';
import { xnack } from './xnack.js';

export const streamCommands: CommandSpec[] = [
  xadd,
  xrange,
  xrevrange,
  xlen,
  xdel,
  xtrim,
  xsetid,
  xread,
  xgroup,
  xreadgroup,
  xack,
  xpending,
  xclaim,
  xautoclaim,
  xinfo,
  xdelex,
  xackdel,
  xcfgset,
  xidmprecord,
  xnack,
];
