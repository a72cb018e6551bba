/**
 * HINCRBY and HINCRBYFLOAT: arithmetic on a field (created at 0), keeping the
 * field's TTL. HINCRBYFLOAT is propagated as HSET with the result, as Redis
 * does, so replay never depends on float formatting.
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { int64Arg, parseInt64 } from '../../lib/args.js';
import { HashValue, valueBuffer } from '../../lib/types/hash.js';
import { addLongDouble, formatLongDouble, parseLongDouble } from '../strings/longdouble.js';
import { commit, getField, got, Got, maxEntries, maxValue, writeHash } from './support.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const HSET = Buffer.from('HSET');

/** The hash to update and whether it is new (a lazily expired last field removes the old one). */
function target(c: Parameters<Handler>[0], key: string, field: string): { h: HashValue; created: boolean; cur: Buffer | undefined } {
  const h = writeHash(c, key);
  if (h === undefined) return { h: new HashValue(), created: true, cur: undefined };
  const v = getField(c, key, h, field);
  if (got === Got.EXPIRED_HASH) return { h: new HashValue(), created: true, cur: undefined };
  return { h, created: false, cur: v === undefined ? undefined : valueBuffer(v) };
}

const hincrbyHandler: Handler = (c, argv) => {
  const incr = int64Arg(argv[3]);
  const key = keyOf(argv[1]);
  const field = keyOf(argv[2]);
  const { h, created, cur } = target(c, key, field);
  let value = 0n;
  if (cur !== undefined) {
    const n = parseInt64(cur);
    if (n === null) throw E.HASH_NOT_INTEGER;
    value = BigInt(n);
  }
  const sum = value + incr;
  if (sum < INT64_MIN || sum > INT64_MAX) throw E.OVERFLOW;
  const out = Buffer.from(sum.toString());
  h.set(field, out, true);
  h.afterSet(argv[2].length, out.length, maxEntries(c), maxValue(c));
  commit(c, key, h, created);
  c.reply.int(sum);
  c.server.notify('h', 'hincrby', key, c.db.id);
  c.server.dirty++;
};

const hincrbyfloatHandler: Handler = (c, argv) => {
  const incr = parseLongDouble(argv[3]);
  if (incr === null) throw E.NOT_FLOAT;
  if (incr.inf) throw E.NAN_OR_INFINITY;
  const key = keyOf(argv[1]);
  const field = keyOf(argv[2]);
  const { h, created, cur } = target(c, key, field);
  const value = cur === undefined ? parseLongDouble(Buffer.from('0'))! : parseLongDouble(cur);
  if (value === null) throw E.HASH_NOT_FLOAT;
  const sum = addLongDouble(value, incr);
  if (sum.inf) throw E.INCR_NAN;
  const out = Buffer.from(formatLongDouble(sum), 'latin1');
  h.set(field, out, true);
  h.afterSet(argv[2].length, out.length, maxEntries(c), maxValue(c));
  commit(c, key, h, created);
  c.reply.bulk(out);
  c.server.notify('h', 'hincrbyfloat', key, c.db.id);
  c.server.dirty++;
  c.server.propagateAs([HSET, argv[1], argv[2], out]);
};

export const hincrby: CommandSpec = {
  name: 'hincrby',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn\'t exist.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string' },
    { name: 'increment', type: 'integer' },
  ],
  handler: hincrbyHandler,
};

export const hincrbyfloat: CommandSpec = {
  name: 'hincrbyfloat',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn\'t exist.',
  since: '2.6.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string' },
    { name: 'increment', type: 'double' },
  ],
  handler: hincrbyfloatHandler,
};

