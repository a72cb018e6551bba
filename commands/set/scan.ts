/**
 * SSCAN key cursor [MATCH pattern] [COUNT count], and the cursor/option
 * parsing ZSCAN shares.
 *
 * Small sets (intset, listpack encodings) are returned whole with cursor 0,
 * as Redis does. A hashtable-encoded set is walked by position in its
 * member array. Caveat: removing a member moves the last one into its
 * place, so a member present for the whole scan can be missed when others
 * are removed meanwhile (Redis's reverse-binary cursor guarantees it is not).
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { globMatch } from '../../lib/glob.js';
import { SSCAN_SPEC } from './table.js';
import { readSet } from './support.js';

const NOVALUES_HSCAN_ONLY = E.custom('ERR NOVALUES option can only be used in HSCAN');
const ULONG_MAX = (1n << 64n) - 1n;

/** A SCAN-family cursor: decimal digits within 64 bits (Redis's strtoul check), as a safe integer (larger ones end the scan). */
export function scanCursor(b: Buffer): number {
  const s = b.toString('latin1');
  if (!/^\d+$/.test(s)) throw E.INVALID_CURSOR;
  const v = BigInt(s);
  if (v > ULONG_MAX) throw E.INVALID_CURSOR;
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

export interface ScanOptions {
  count: number;
  pattern: Buffer | null;
}

/** MATCH / COUNT from argv[from..]; NOVALUES is refused (it belongs to HSCAN). */
export function scanOptions(argv: Buffer[], from: number): ScanOptions {
  let count = 10;
  let pattern: Buffer | null = null;
  for (let i = from; i < argv.length; i++) {
    const more = argv.length - i - 1;
    if (isWord(argv[i], 'count') && more >= 1) {
      const n = parseInt64(argv[++i]);
      if (n === null) throw E.NOT_INTEGER;
      if (n < 1) throw E.SYNTAX;
      count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    } else if (isWord(argv[i], 'match') && more >= 1) {
      const p = argv[++i];
      pattern = p.length === 1 && p[0] === 42 /* '*' */ ? null : p;
    } else if (isWord(argv[i], 'novalues')) {
      throw NOVALUES_HSCAN_ONLY;
    } else {
      throw E.SYNTAX;
    }
  }
  return { count, pattern };
}

/** The `[cursor, [items...]]` reply. */
export function replyScan(c: Session, next: number, items: string[]): void {
  c.reply.array(2);
  c.reply.bulk(String(next));
  c.reply.array(items.length);
  for (const it of items) c.reply.bulkLatin1(it);
}

export const sscan: CommandSpec = {
  ...SSCAN_SPEC,
  handler(c, argv) {
    const cursor = scanCursor(argv[2]);
    const s = readSet(c, keyOf(argv[1]));
    if (s === undefined) {
      replyScan(c, 0, []);
      return;
    }
    const { count, pattern } = scanOptions(argv, 3);
    const out: string[] = [];
    const keep = (m: string): void => {
      if (pattern === null || globMatch(pattern, m)) out.push(m);
    };
    if (s.encoding !== 'hashtable') {
      for (const m of s.list()) keep(m);
      replyScan(c, 0, out);
      return;
    }
    const end = Math.min(s.size, cursor + count);
    for (let i = cursor; i < end; i++) keep(s.atStorage(i));
    replyScan(c, end >= s.size ? 0 : end, out);
  },
};
