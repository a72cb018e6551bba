/**
 * GETEX key [EX | PX | EXAT | PXAT | PERSIST]: GET that also changes the TTL.
 * Propagated as the effect: `PEXPIREAT key <ms>`, `DEL key` (an absolute time
 * already past) or `PERSIST key` — never as GETEX.
 */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { readString } from '../keyspace/lookup.js';
import { EXAT, PERSIST, PXAT, expireAtMs, parseStringOptions } from './options.js';

export const getex: CommandSpec = {
  name: 'getex',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ notes: 'RW and UPDATE because it changes the TTL', flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the string value of a key after setting its expiration time.',
  since: '6.2.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'expiration', type: 'oneof', optional: true, arguments: [
        { name: 'seconds', type: 'integer', token: 'EX' },
        { name: 'milliseconds', type: 'integer', token: 'PX' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
        { name: 'persist', type: 'pure-token', token: 'PERSIST' },
      ] },
  ],
  handler(c, argv) {
    const { flags, expire } = parseStringOptions(argv, 2, false);
    const key = keyOf(argv[1]);
    const v = readString(c, key);
    if (v === undefined) {
      c.reply.nullBulk();
      return;
    }
    const now = c.server.now();
    const at = expire === null ? null : expireAtMs(expire, flags, now, 'getex');
    c.reply.bulk(v);
    const db = c.db;
    if (at !== null && flags & (EXAT | PXAT) && at <= now) {
      db.delete(key);
      c.server.propagateAs([Buffer.from('DEL'), argv[1]]);
      c.server.notify('g', 'del', key, db.id);
      c.server.dirty++;
    } else if (at !== null) {
      db.setExpire(key, at);
      c.server.propagateAs([Buffer.from('PEXPIREAT'), argv[1], Buffer.from(String(at))]);
      c.server.notify('g', 'expire', key, db.id);
      c.server.dirty++;
    } else if (flags & PERSIST && db.persist(key)) {
      c.server.propagateAs([Buffer.from('PERSIST'), argv[1]]);
      c.server.notify('g', 'persist', key, db.id);
      c.server.dirty++;
    }
  },
};
