/**
 * HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. A
 * listpack-encoded hash is returned whole with cursor 0, as Redis does; a
 * hashtable-encoded one is walked with HashValue.scan's cursor.
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { globMatch } from '../../lib/glob.js';
import { parseCursor } from '../keyspace/scan.js';
import { readHash, replyValue } from './support.js';

const hscanHandler: Handler = (c, argv) => {
  const cursor = parseCursor(argv[2]);
  const h = readHash(c, keyOf(argv[1]));
  if (h === undefined) {
    c.reply.array(2);
    c.reply.bulk('0');
    c.reply.array(0);
    return;
  }
  let count = 10;
  let pattern: Buffer | null = null;
  let noValues = false;
  for (let i = 3; i < argv.length; i++) {
    const more = argv.length - i;
    if (isWord(argv[i], 'count') && more >= 2) {
      const n = parseInt64(argv[++i]);
      if (n === null) throw E.NOT_INTEGER;
      if (n < 1) throw E.SYNTAX;
      count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    } else if (isWord(argv[i], 'match') && more >= 2) {
      const p = argv[++i];
      pattern = p.length === 1 && p[0] === 42 /* '*' */ ? null : p;
    } else if (isWord(argv[i], 'novalues')) {
      noValues = true;
    } else {
      throw E.SYNTAX;
    }
  }
  const now = c.server.now();
  const found: string[] = [];
  const take = (f: string): void => {
    if (h.ttl !== null && h.isExpired(f, now)) return;
    if (pattern !== null && !globMatch(pattern, f)) return;
    found.push(f);
  };
  let next = 0;
  if (h.isHashtable) next = h.scan(cursor, count, take);
  else for (const f of h.map.keys()) take(f);
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(noValues ? found.length : found.length * 2);
  for (const f of found) {
    c.reply.bulkLatin1(f);
    if (!noValues) replyValue(c, h.get(f)!);
  }
};

export const hscan: CommandSpec = {
  name: 'hscan',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'hash', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output'],
  summary: 'Iterates over fields and values of a hash.',
  since: '2.8.0',
  group: 'hash',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    { name: 'novalues', type: 'pure-token', token: 'NOVALUES', optional: true },
  ],
  handler: hscanHandler,
};

