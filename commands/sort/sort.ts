/**
 * SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE destination]
 * and SORT_RO (no STORE), over lists, sets and sorted sets, as Redis's
 * sortCommandGeneric:
 * - options are parsed first, then the key is looked up (WRONGTYPE for
 *   other types; a missing key sorts as an empty list);
 * - `BY` without `*` means "don't sort": lists and sorted sets keep their
 *   order (a sorted set's LIMIT range is read directly), sets too, except
 *   with STORE, where a set is sorted ALPHA so the stored result is
 *   deterministic;
 * - numeric sorting parses each weight as a score (Redis 7.4's parser) and
 *   fails with "One or more scores can't be converted into double"; equal
 *   weights fall back to comparing the elements bytewise; a missing BY key
 *   weighs 0 (ALPHA: sorts first);
 * - GET `#` is the element, `pattern` the string at the key with `*`
 *   replaced by the element, `pattern->field` that field of a hash (nil
 *   when missing or of another type);
 * - STORE writes a list (event `sortstore`), or deletes the destination
 *   when the result is empty.
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf, type Value } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { RSet } from '../../lib/types/set.js';
import { SortedSet } from '../../lib/types/zset.js';
import { parseScore } from '../../lib/types/double.js';
import { lookupRead } from '../keyspace/lookup.js';
import { SORT_RO_SPEC, SORT_SPEC } from './table.js';
import { listElements, storeList } from './lists.js';

const NOT_DOUBLE = E.custom("ERR One or more scores can't be converted into double");

interface Options {
  by: Buffer | null;
  dontSort: boolean;
  gets: Buffer[];
  desc: boolean;
  alpha: boolean;
  start: number;
  count: number;
  store: Buffer | null;
}

function longArg(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  if (typeof v === 'bigint') return v < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return v;
}

function parseOptions(argv: Buffer[], readonly: boolean): Options {
  const o: Options = { by: null, dontSort: false, gets: [], desc: false, alpha: false, start: 0, count: -1, store: null };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const a = argv[j];
    if (isWord(a, 'asc')) o.desc = false;
    else if (isWord(a, 'desc')) o.desc = true;
    else if (isWord(a, 'alpha')) o.alpha = true;
    else if (isWord(a, 'limit') && left >= 2) {
      o.start = longArg(argv[j + 1]);
      o.count = longArg(argv[j + 2]);
      j += 2;
    } else if (!readonly && isWord(a, 'store') && left >= 1) {
      o.store = argv[++j];
    } else if (isWord(a, 'by') && left >= 1) {
      o.by = argv[++j];
      o.dontSort = !o.by.includes(42 /* '*' */);
    } else if (isWord(a, 'get') && left >= 1) {
      o.gets.push(argv[++j]);
    } else {
      throw E.SYNTAX;
    }
  }
  return o;
}

/**
 * The value a BY/GET pattern names for an element: the string at the key
 * with the first `*` replaced, or a hash field after `->`. Null when the
 * pattern has no `*`, the key is missing or holds something else.
 */
function byPattern(c: Session, pattern: Buffer, element: string): Buffer | null {
  const p = pattern.toString('latin1');
  if (p === '#') return Buffer.from(element, 'latin1');
  const star = p.indexOf('*');
  if (star === -1) return null;
  const arrow = p.indexOf('->', star + 1);
  const field = arrow !== -1 && arrow + 2 < p.length ? p.slice(arrow + 2) : null;
  const keyPattern = field !== null ? p.slice(0, arrow) : p;
  const key = keyPattern.slice(0, star) + element + keyPattern.slice(star + 1);
  const v = c.db.lookup(key);
  if (v === undefined) return null;
  if (field === null) return Buffer.isBuffer(v) ? v : null;
  const h = v as unknown as { kind: string; get?(f: string): string | Buffer | undefined };
  if (h.kind !== 'hash' || typeof h.get !== 'function') return null;
  const fv = h.get(field);
  return fv === undefined ? null : typeof fv === 'string' ? Buffer.from(fv, 'latin1') : fv;
}

/** The elements of the value to sort, in its own order; WRONGTYPE for other types. */
function elements(v: Value | undefined): string[] {
  if (v === undefined) return [];
  if (v instanceof RSet) return v.list().slice();
  if (v instanceof SortedSet) return [...v.entries()].map(([m]) => m);
  const l = listElements(v);
  if (l !== null) return l;
  throw E.WRONGTYPE;
}

function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortCommand(c: Session, argv: Buffer[], readonly: boolean): void {
  const o = parseOptions(argv, readonly);
  const v = lookupRead(c, keyOf(argv[1]));
  let items = elements(v);
  let { dontSort, alpha, by } = o;
  if (dontSort && v instanceof RSet && o.store !== null) {
    // A set has no order of its own: STORE sorts it so what is stored is deterministic.
    dontSort = false;
    alpha = true;
    by = null;
  }
  const n = items.length;
  let start = o.start < 0 ? 0 : o.start;
  let end = o.count < 0 ? n - 1 : start + o.count - 1;
  if (start >= n) {
    start = n - 1;
    end = n - 2;
  }
  if (end >= n) end = n - 1;
  if (dontSort) {
    // Lists and sorted sets keep their order; DESC reads a sorted set from the top.
    if (o.desc && v instanceof SortedSet) items = items.reverse();
  } else {
    const weighted = items.map((el) => {
      let w: Buffer | string | null = el;
      if (by !== null) w = byPattern(c, by, el);
      let score = 0;
      if (!alpha && w !== null) {
        const s = parseScore(typeof w === 'string' ? w : w.toString('latin1'));
        if (s === null) throw NOT_DOUBLE;
        score = s;
      }
      return { el, w: w === null ? null : typeof w === 'string' ? w : w.toString('latin1'), score };
    });
    const sign = o.desc ? -1 : 1;
    weighted.sort((a, b) => {
      let cmp: number;
      if (!alpha) {
        cmp = a.score < b.score ? -1 : a.score > b.score ? 1 : bytewise(a.el, b.el);
      } else if (by !== null) {
        cmp = a.w === null ? (b.w === null ? 0 : -1) : b.w === null ? 1 : bytewise(a.w, b.w);
      } else {
        cmp = bytewise(a.el, b.el);
      }
      return sign * cmp;
    });
    items = weighted.map((x) => x.el);
  }
  const picked = end >= start ? items.slice(start, end + 1) : [];
  const out: (Buffer | null)[] = [];
  for (const el of picked) {
    if (o.gets.length === 0) out.push(Buffer.from(el, 'latin1'));
    else for (const g of o.gets) out.push(byPattern(c, g, el));
  }
  if (o.store === null) {
    c.reply.array(out.length);
    for (const b of out) c.reply.bulkOrNull(b);
    return;
  }
  const dst = keyOf(o.store);
  if (out.length > 0) {
    storeList(c, dst, out.map((b) => b ?? Buffer.alloc(0)));
    c.server.notify('l', 'sortstore', dst, c.db.id);
    c.server.dirty += out.length;
  } else if (c.db.delete(dst)) {
    c.server.notify('g', 'del', dst, c.db.id);
    c.server.dirty++;
  }
  c.reply.int(out.length);
}

/** Redis's sortGetKeys: the key, and the destination of the last STORE. */
function sortKeys(argv: Buffer[]): number[] {
  const keys = [1];
  let store = -1;
  for (let j = 2; j < argv.length; j++) {
    if (isWord(argv[j], 'limit')) j += 2;
    else if (isWord(argv[j], 'get') || isWord(argv[j], 'by')) j += 1;
    else if (isWord(argv[j], 'store') && j + 1 < argv.length) store = ++j;
  }
  if (store !== -1) keys.push(store);
  return keys;
}

export const sort: CommandSpec = { ...SORT_SPEC, getKeys: sortKeys, handler: (c, argv) => sortCommand(c, argv, false) };
export const sortRo: CommandSpec = { ...SORT_RO_SPEC, getKeys: () => [1], handler: (c, argv) => sortCommand(c, argv, true) };
