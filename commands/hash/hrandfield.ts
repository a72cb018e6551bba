/**
 * HRANDFIELD key [count [WITHVALUES]]: random fields. A negative count may
 * repeat fields; a count at least the size returns the whole hash in its
 * order; a smaller positive count returns distinct fields (in hash order for
 * listpack-encoded hashes, random order otherwise, as Redis).
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { Proto } from '../../lib/resp/writer.js';
import type { FieldValue } from '../../lib/types/hash.js';
import { expireAllDue, readHash, replyValue } from './support.js';

const LONG_MAX = 9223372036854775807n;

const hrandfieldHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  if (argv.length === 2) {
    const h = readHash(c, key);
    if (h === undefined || expireAllDue(c, key, h)) {
      c.reply.nullBulk();
      return;
    }
    let i = Math.floor(Math.random() * h.size);
    for (const f of h.map.keys()) {
      if (i-- === 0) {
        c.reply.bulkLatin1(f);
        break;
      }
    }
    return;
  }
  const raw = parseInt64(argv[2]);
  if (raw === null) throw E.NOT_INTEGER;
  if (BigInt(raw) < -LONG_MAX) throw E.valueMustBetween('-9223372036854775807', '9223372036854775807');
  if (argv.length > 4 || (argv.length === 4 && !isWord(argv[3], 'withvalues'))) throw E.SYNTAX;
  const withValues = argv.length === 4;
  if (withValues && (BigInt(raw) < -LONG_MAX / 2n || BigInt(raw) > LONG_MAX / 2n)) throw E.VALUE_OUT_OF_RANGE;
  const h = readHash(c, key);
  if (h === undefined || expireAllDue(c, key, h)) {
    c.reply.array(0);
    return;
  }
  const l = typeof raw === 'bigint' ? (raw < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : raw;
  const unique = l >= 0;
  const count = Math.abs(l);
  if (count === 0) {
    c.reply.array(0);
    return;
  }
  const resp3 = c.proto === Proto.RESP3;
  const entries: [string, FieldValue][] = [...h.map];
  const size = entries.length;
  const one = (e: [string, FieldValue]): void => {
    if (withValues && resp3) c.reply.array(2);
    c.reply.bulkLatin1(e[0]);
    if (withValues) replyValue(c, e[1]);
  };
  if (!unique || count === 1) {
    c.reply.array(withValues && !resp3 ? count * 2 : count);
    for (let k = 0; k < count; k++) one(entries[Math.floor(Math.random() * size)]);
    return;
  }
  const n = Math.min(count, size);
  c.reply.array(withValues && !resp3 ? n * 2 : n);
  if (count >= size) {
    for (const e of entries) one(e);
    return;
  }
  // Distinct picks: a partial Fisher-Yates shuffle of the indexes.
  const idx = Array.from({ length: size }, (_, i) => i);
  for (let k = 0; k < n; k++) {
    const j = k + Math.floor(Math.random() * (size - k));
    const t = idx[k];
    idx[k] = idx[j];
    idx[j] = t;
  }
  const picked = idx.slice(0, n);
  if (!h.isHashtable) picked.sort((a, b) => a - b);
  for (const i of picked) one(entries[i]);
};

export const hrandfield: CommandSpec = {
  name: 'hrandfield',
  arity: -2,
  flags: ['readonly'],
  acl: ['read', 'hash', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output'],
  summary: 'Returns one or more random fields from a hash.',
  since: '6.2.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of fields returned',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'options', type: 'block', optional: true, arguments: [
      { name: 'count', type: 'integer' },
      { name: 'withvalues', type: 'pure-token', token: 'WITHVALUES', optional: true },
    ] },
  ],
  handler: hrandfieldHandler,
};

