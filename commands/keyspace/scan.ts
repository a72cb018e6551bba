/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type].
 *
 * The cursor is a slot position in the database's key table (see
 * KeyTable.scan): a key keeps its slot while it exists and slots are walked
 * upward, so a key present for the whole iteration is returned at least
 * once, whatever is added or deleted meanwhile, as Redis guarantees (a
 * cursor from before a compaction restarts the walk rather than skip keys).
 */
import type { CommandSpec } from '../../lib/command.js';
import { typeName } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { globMatch } from '../../lib/glob.js';

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * Parses a cursor as Redis 7.4 does (string2ull): a plain integer must not be
 * negative; anything else goes through strtoull — leading white space,
 * an optional sign ("-n" wraps like C, " -1" is 2^64-1), digits to the end,
 * within 64 bits. "" is invalid. (7.0's strtoul refused leading space and
 * read "" as 0.) Cursors beyond any slot simply end the scan.
 */
export function parseCursor(b: Buffer): number {
  const plain = parseInt64(b);
  if (plain !== null) {
    if (plain < 0) throw E.INVALID_CURSOR;
    return Number(plain) > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Number(plain);
  }
  const s = b.toString('latin1');
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(s);
  if (m === null) throw E.INVALID_CURSOR;
  let v = BigInt(m[2]);
  if (v > ULONG_MAX) throw E.INVALID_CURSOR;
  if (m[1] === '-' && v !== 0n) v = ULONG_MAX + 1n - v;
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

export const scan: CommandSpec = {
  name: 'scan',
  arity: -2,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  tips: ['nondeterministic_output', 'request_policy:special', 'response_policy:special'],
  summary: 'Iterates over the key names in the database.',
  since: '2.8.0',
  group: 'generic',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  history: [['6.0.0', 'Added the `TYPE` subcommand.']],
  arguments: [
    { name: 'cursor', type: 'integer' },
    { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
    { name: 'type', type: 'string', token: 'TYPE', since: '6.0.0', optional: true },
  ],
  handler(c, argv) {
    const cursor = parseCursor(argv[1]);
    let count = 10;
    let pattern: Buffer | null = null;
    let typeFilter: string | null = null;
    for (let i = 2; i < argv.length; i += 2) {
      const more = argv.length - i;
      if (isWord(argv[i], 'count') && more >= 2) {
        const n = parseInt64(argv[i + 1]);
        if (n === null) throw E.NOT_INTEGER;
        if (n < 1) throw E.SYNTAX;
        count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
      } else if (isWord(argv[i], 'match') && more >= 2) {
        const p = argv[i + 1];
        pattern = p.length === 1 && p[0] === 42 /* '*' */ ? null : p;
      } else if (isWord(argv[i], 'type') && more >= 2) {
        typeFilter = argv[i + 1].toString('latin1').toLowerCase();
      } else {
        throw E.SYNTAX;
      }
    }
    const found: string[] = [];
    const db = c.db;
    const next = db.scan(cursor, count, (k) => {
      if (pattern !== null && !globMatch(pattern, k)) return;
      if (typeFilter !== null) {
        const v = db.peek(k);
        if (v === undefined || typeName(v) !== typeFilter) return;
      }
      found.push(k);
    });
    c.reply.array(2);
    c.reply.bulk(String(next));
    c.reply.array(found.length);
    for (const k of found) c.reply.bulkLatin1(k);
  },
};
