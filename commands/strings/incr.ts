/** INCR, DECR, INCRBY, DECRBY on a string holding a signed 64-bit integer (missing = 0); the TTL is kept. */
import type { ArgSpec, CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { int64Arg, parseInt64 } from '../../lib/args.js';
import { writeString } from '../keyspace/lookup.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
/** Below this magnitude both operands and the sum are exact doubles: no BigInt on the common path. */
const SMALL = 2 ** 52;

function incrBy(c: Session, keyArg: Buffer, by: bigint | number): void {
  const key = keyOf(keyArg);
  const cur = writeString(c, key);
  let value: number | bigint = 0;
  if (cur !== undefined) {
    const parsed = parseInt64(cur);
    if (parsed === null) throw E.NOT_INTEGER;
    value = parsed;
  }
  let result: number | bigint;
  if (typeof value === 'number' && typeof by === 'number' && Math.abs(value) < SMALL && Math.abs(by) < SMALL) {
    result = value + by;
  } else {
    const a = BigInt(value);
    const b = BigInt(by);
    if ((b < 0n && a < 0n && b < INT64_MIN - a) || (b > 0n && a > 0n && b > INT64_MAX - a)) throw E.OVERFLOW;
    result = a + b;
  }
  c.db.set(key, Buffer.from(String(result)), true);
  c.server.notify('$', 'incrby', key, c.db.id);
  c.server.dirty++;
  c.reply.int(result);
}

/** The increment argument as a number when small, else as bigint. */
function amount(b: Buffer): number | bigint {
  const v = int64Arg(b);
  return v >= -BigInt(SMALL) && v <= BigInt(SMALL) ? Number(v) : v;
}

/**
 * The four commands share all metadata but name, docs and the optional amount
 * argument (which sets the arity); each handler only picks the increment.
 */
function incrCommand(name: string, summary: string, amountArg: ArgSpec | null, handler: Handler): CommandSpec {
  return {
    name,
    arity: amountArg === null ? 2 : 3,
    flags: ['write', 'denyoom', 'fast'],
    acl: ['write', 'string', 'fast'],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keySpecs: [{ flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    summary,
    since: '1.0.0',
    group: 'string',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      ...(amountArg === null ? [] : [amountArg]),
    ],
    handler,
  };
}

export const incr = incrCommand(
  'incr', 'Increments the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.', null,
  (c, argv) => incrBy(c, argv[1], 1));

export const decr = incrCommand(
  'decr', 'Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.', null,
  (c, argv) => incrBy(c, argv[1], -1));

export const incrby = incrCommand(
  'incrby', 'Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.',
  { name: 'increment', type: 'integer' },
  (c, argv) => incrBy(c, argv[1], amount(argv[2])));

export const decrby = incrCommand(
  'decrby', 'Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn\'t exist.',
  { name: 'decrement', type: 'integer' },
  (c, argv) => {
    const by = amount(argv[2]);
    if (by === INT64_MIN) throw E.DECR_OVERFLOW;
    incrBy(c, argv[1], typeof by === 'number' ? -by : -by);
  });
