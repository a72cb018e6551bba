/** MSET and MSETNX: set several keys at once (MSETNX only if none exists). */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';

/** Returns false (setting nothing) when `nx` and some key exists. */
function msetGeneric(c: Session, argv: Buffer[], name: string, nx: boolean): boolean {
  if (argv.length % 2 === 0) throw E.wrongArity(name);
  const db = c.db;
  if (nx) {
    for (let i = 1; i < argv.length; i += 2) if (db.lookup(keyOf(argv[i])) !== undefined) return false;
  }
  for (let i = 1; i < argv.length; i += 2) {
    const key = keyOf(argv[i]);
    db.set(key, Buffer.from(argv[i + 1]));
    c.server.notify('$', 'set', key, db.id);
  }
  c.server.dirty += (argv.length - 1) / 2;
  return true;
}

/**
 * MSET and MSETNX differ only in `nx`, which decides the key spec (insert vs
 * update), the cluster reply policy and the reply (OK vs 1/0).
 */
function msetCommand(name: string, summary: string, nx: boolean): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ['write', 'denyoom'],
    acl: ['write', 'string', 'slow'],
    firstKey: 1,
    lastKey: -1,
    step: 2,
    keySpecs: [{ flags: ['OW', nx ? 'insert' : 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 2, limit: 0 } }],
    // Redis 7.4 dropped MSETNX's tips (it is not multi-shard safe); MSET keeps them.
    tips: nx ? undefined : ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    summary,
    since: '1.0.1',
    group: 'string',
    complexity: 'O(N) where N is the number of keys to set.',
    arguments: [
      { name: 'data', type: 'block', multiple: true, arguments: [
          { name: 'key', type: 'key', keySpecIndex: 0 },
          { name: 'value', type: 'string' },
        ] },
    ],
    handler(c, argv) {
      const done = msetGeneric(c, argv, name, nx);
      if (nx) c.reply.int(done ? 1 : 0);
      else c.reply.ok();
    },
  };
}

export const mset = msetCommand('mset', 'Atomically creates or modifies the string values of one or more keys.', false);
export const msetnx = msetCommand(
  'msetnx', 'Atomically modifies the string values of one or more keys only when all keys don\'t exist.', true);
