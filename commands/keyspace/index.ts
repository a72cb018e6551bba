/** The keyspace command family (and transactions), registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { del, unlink } from './del.js';
import { exists } from './exists.js';
import { type } from './type.js';
import { keys } from './keys.js';
import { scan } from './scan.js';
import { randomkey } from './randomkey.js';
import { rename, renamenx } from './rename.js';
import { copy } from './copy.js';
import { move } from './move.js';
import { expire, pexpire, expireat, pexpireat } from './expire.js';
import { ttl, pttl, expiretime, pexpiretime } from './ttl.js';
import { persist } from './persist.js';
import { touch } from './touch.js';
import { object } from './object.js';
import { memory } from './memory.js';
import { dumpCommands } from './dump.js';
import { migrate } from './migrate.js';
import { transactionCommands } from '../transactions.js';

export const keyspaceCommands: CommandSpec[] = [
  del,
  unlink,
  exists,
  type,
  keys,
  scan,
  randomkey,
  rename,
  renamenx,
  copy,
  move,
  expire,
  pexpire,
  expireat,
  pexpireat,
  ttl,
  pttl,
  expiretime,
  pexpiretime,
  persist,
  touch,
  object,
  memory,
  ...dumpCommands,
  migrate,
  ...transactionCommands,
];
