/** MOVE key db: moves a key (with its TTL) to another database unless the name is taken there. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { databaseArg } from './lookup.js';

export const move: CommandSpec = {
  name: 'move',
  arity: 3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Moves a key to another database.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'db', type: 'integer' },
  ],
  handler(c, argv) {
    const src = c.db;
    const dst = databaseArg(c, argv[2]);
    if (src === dst) throw E.SAME_OBJECT;
    const key = keyOf(argv[1]);
    const value = src.lookup(key);
    if (value === undefined || dst.lookup(key) !== undefined) {
      c.reply.int(0);
      return;
    }
    const expireAt = src.getExpire(key);
    dst.set(key, value);
    if (expireAt !== undefined) dst.setExpire(key, expireAt);
    src.delete(key);
    c.server.notify('g', 'move_from', key, src.id);
    c.server.notify('g', 'move_to', key, dst.id);
    c.server.dirty++;
    c.reply.int(1);
  },
};
