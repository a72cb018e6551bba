/** The list command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { lpush, rpush, lpushx, rpushx } from './push.js';
import { lpop, rpop, lmpop } from './pop.js';
import { llen, lrange, lindex } from './lrange.js';
import { lset, linsert } from './lset.js';
import { lrem, ltrim } from './lrem.js';
import { lpos } from './lpos.js';
import { lmove, rpoplpush } from './lmove.js';
import { blpop, brpop, blmove, brpoplpush, blmpop } from './blocking.js';

export const listCommands: CommandSpec[] = [
  lpush,
  rpush,
  lpushx,
  rpushx,
  lpop,
  rpop,
  lmpop,
  llen,
  lrange,
  lindex,
  lset,
  linsert,
  lrem,
  ltrim,
  lpos,
  lmove,
  rpoplpush,
  blpop,
  brpop,
  blmove,
  brpoplpush,
  blmpop,
];
