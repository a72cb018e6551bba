/**
 * DUMP key and RESTORE key ttl serialized-value [REPLACE] [ABSTTL]
 * [IDLETIME seconds] [FREQ frequency]: values in Redis's DUMP format
 * (lib/rdb/payload.ts), so payloads move between rivulet and redis-server
 * in both directions.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, token, singleKey } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { createDumpPayload, parseDumpPayload, PayloadError } from '../../lib/rdb/payload.js';
import { canWrite } from '../../lib/rdb/values.js';
import { limitsFrom } from '../../lib/rdb/limits.js';
import { lookupRead } from './lookup.js';
import { i64, type I64 } from '../../lib/stream/id.js';

const ABSTTL = Buffer.from('ABSTTL');

export const dump: CommandSpec = {
  name: 'dump',
  arity: 2,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  summary: 'Returns a serialized representation of the value stored at a key.',
  since: '2.6.0',
  group: 'generic',
  complexity:
    'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
  arguments: [key('key')],
  handler(c, argv) {
    const v = lookupRead(c, keyOf(argv[1]));
    if (v === undefined) {
      c.reply.nullBulk();
      return;
    }
    if (!canWrite(v)) throw E.rdbTypeMissing(Buffer.isBuffer(v) ? 'string' : v.kind);
    c.reply.bulk(createDumpPayload(v, c.server.config.bool('rdbcompression'), undefined, limitsFrom(c.server.config)));
  },
};

const INT64_MAX = 9223372036854775807n;

/** getLongLongFromObject as a number (IDLETIME, FREQ: values beyond 2^53 lose precision, irrelevant there). */
function longLong(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  return Number(v);
}

export const restore: CommandSpec = {
  name: 'restore',
  arity: -4,
  flags: ['write', 'denyoom'],
  acl: ['keyspace', 'write', 'slow', 'dangerous'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['OW', 'update'])],
  summary: 'Creates a key from the serialized representation of a value.',
  since: '2.6.0',
  group: 'generic',
  complexity:
    'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  history: [
    ['3.0.0', 'Added the `REPLACE` modifier.'],
    ['5.0.0', 'Added the `ABSTTL` modifier.'],
    ['5.0.0', 'Added the `IDLETIME` and `FREQ` options.'],
  ],
  arguments: [
    key('key'),
    arg('ttl', 'integer'),
    arg('serialized-value', 'string'),
    token('REPLACE', { optional: true, since: '3.0.0' }),
    token('ABSTTL', { optional: true, since: '5.0.0' }),
    arg('seconds', 'integer', { token: 'IDLETIME', optional: true, since: '5.0.0' }),
    arg('frequency', 'integer', { token: 'FREQ', optional: true, since: '5.0.0' }),
  ],
  handler(c, argv) {
    let replace = false;
    let absttl = false;
    let idle = -1;
    let freq = -1;
    for (let j = 4; j < argv.length; j++) {
      const more = argv.length - j - 1;
      if (isWord(argv[j], 'replace')) replace = true;
      else if (isWord(argv[j], 'absttl')) absttl = true;
      else if (isWord(argv[j], 'idletime') && more >= 1 && freq === -1) {
        idle = longLong(argv[++j]);
        if (idle < 0) throw E.INVALID_IDLETIME;
      } else if (isWord(argv[j], 'freq') && more >= 1 && idle === -1) {
        freq = longLong(argv[++j]);
        if (freq < 0 || freq > 255) throw E.INVALID_FREQ;
      } else throw E.SYNTAX;
    }
    const k = keyOf(argv[1]);
    const db = c.db;
    if (!replace && db.lookup(k) !== undefined) throw E.BUSYKEY;
    const rawTtl = parseInt64(argv[2]);
    if (rawTtl === null) throw E.NOT_INTEGER;
    if (rawTtl < 0) throw E.INVALID_TTL;
    let value;
    try {
      value = parseDumpPayload(argv[3], limitsFrom(c.server.config));
    } catch (err) {
      if (err instanceof PayloadError) {
        c.server.log('verbose', `RESTORE refused a payload: ${err.message}`);
        throw err.kind === 'version' ? E.DUMP_PAYLOAD_WRONG : E.BAD_DATA_FORMAT;
      }
      throw err;
    }
    const deleted = replace ? db.delete(k) : false;
    const now = c.server.now();
    // Exact int64 (a bigint beyond 2^53). A relative TTL that overflows int64 wraps negative in Redis (already expired).
    let ttl: I64 = rawTtl;
    if (ttl !== 0 && !absttl) {
      const sum = BigInt(ttl) + BigInt(now);
      ttl = i64(sum > INT64_MAX ? sum - 2n ** 64n : sum);
    }
    if (ttl !== 0 && ttl <= now && !c.server.loading) {
      // Already expired: nothing is created; an old value that REPLACE removed is a deletion.
      if (deleted) {
        c.server.propagateAs([Buffer.from('DEL'), argv[1]]);
        c.server.notify('g', 'del', k, db.id);
        c.server.dirty++;
      } else c.server.suppressPropagation();
      c.reply.ok();
      return;
    }
    db.set(k, value);
    if (ttl !== 0) {
      db.setExpire(k, ttl);
      // Propagated with the absolute time, as Redis rewrites it.
      if (!absttl) c.server.propagateAs([argv[0], argv[1], Buffer.from(String(ttl)), ...argv.slice(3), ABSTTL]);
    }
    if (idle > 0) db.setIdle(k, idle * 1000);
    c.server.notify('g', 'restore', k, db.id);
    c.server.dirty++;
    c.reply.ok();
  },
};

export const dumpCommands: CommandSpec[] = [dump, restore];
