/** The set command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { sadd, srem } from './sadd.js';
import { scard, sismember, smembers, smismember } from './smembers.js';
import { spop, srandmember } from './spop.js';
import { smove } from './smove.js';
import { sdiff, sdiffstore, sinter, sintercard, sinterstore, sunion, sunionstore } from './setops.js';
import { sscan } from './scan.js';

export const setCommands: CommandSpec[] = [
  sadd, srem, smembers, sismember, smismember, scard, spop, srandmember, smove,
  sinter, sintercard, sinterstore, sunion, sunionstore, sdiff, sdiffstore, sscan,
];
