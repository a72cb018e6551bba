/**
 * INCRBYFLOAT key increment, in long double arithmetic like Redis (see
 * longdouble.ts). Propagated as `SET key <result> KEEPTTL` so replay does not
 * depend on floating point behaviour.
 */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { writeString } from '../keyspace/lookup.js';
import { markNoInt } from '../../lib/types/string.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from './longdouble.js';

const ZERO = Buffer.from('0');

export const incrbyfloat: CommandSpec = {
  name: 'incrbyfloat',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.',
  since: '2.6.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'increment', type: 'double' },
  ],
  handler(c, argv) {
    const key = keyOf(argv[1]);
    const cur = writeString(c, key);
    const value = parseLongDouble(cur ?? ZERO);
    const incr = value === null ? null : parseLongDouble(argv[2]);
    if (value === null || incr === null) throw E.NOT_FLOAT;
    const sum = addLongDouble(value, incr);
    if (sum.inf) throw E.INCR_NAN;
    const out = markNoInt(Buffer.from(formatLongDouble(sum), 'latin1'));
    c.db.set(key, out, true);
    c.server.notify('$', 'incrbyfloat', key, c.db.id);
    c.server.dirty++;
    c.server.propagateAs([Buffer.from('SET'), argv[1], out, Buffer.from('KEEPTTL')]);
    c.reply.bulk(out);
  },
};
