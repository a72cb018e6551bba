/**
 * What the list commands share: typed lookups (WRONGTYPE), the encoding
 * fill from list-max-listpack-size, range replies straight from the packed
 * chunks, and Redis's bookkeeping after elements are removed
 * (listElementsRemoved: `lpop`/`rpop` event, the key deleted with its last
 * element, or the encoding reconsidered).
 */
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { PackedList } from '../../lib/types/list.js';
import { lookupRead } from '../keyspace/lookup.js';

/** A list for reading (counts hits/misses); undefined when missing; WRONGTYPE otherwise. */
export function readList(c: Session, key: string): PackedList | undefined {
  const v = lookupRead(c, key);
  if (v !== undefined && !(v instanceof PackedList)) throw E.WRONGTYPE;
  return v;
}

/** A list about to be modified (no hit/miss stats); undefined when missing; WRONGTYPE otherwise. */
export function writeList(c: Session, key: string): PackedList | undefined {
  const v = c.db.lookup(key);
  if (v !== undefined && !(v instanceof PackedList)) throw E.WRONGTYPE;
  return v;
}

export const fill = (c: Session): number => c.server.config.int('list-max-listpack-size');

/** Which end: LEFT (head) or RIGHT (tail). */
export const enum End {
  HEAD,
  TAIL,
}

/** LEFT | RIGHT, case-insensitive; syntax error otherwise. */
export function endArg(b: Buffer): End {
  if (isWord(b, 'left')) return End.HEAD;
  if (isWord(b, 'right')) return End.TAIL;
  throw E.SYNTAX;
}

/** A signed long as getLongFromObjectOrReply parses it (NOT_INTEGER), beyond 2^53 clamped (indexes that large only mean "past the end"). */
export function longArg(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  if (typeof v === 'bigint') return v < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return v;
}

/** Adds elements to an end, creating the list when `l` is undefined (before the caller's event). Returns the list. */
export function pushAll(c: Session, key: string, l: PackedList | undefined, items: Buffer[], where: End): PackedList {
  const created = l === undefined;
  l ??= new PackedList();
  let bytes = 0;
  for (const v of items) bytes += v.length;
  l.growing(fill(c), bytes, items.length);
  if (where === End.HEAD) for (const v of items) l.pushHead(v);
  else for (const v of items) l.pushTail(v);
  if (created) c.db.set(key, l);
  else c.db.touch(key);
  return l;
}

/** After popping `count` elements from `where`: event, key deletion or encoding check, dirty. */
export function elementsRemoved(c: Session, key: string, l: PackedList, where: End, count: number): void {
  c.server.notify('l', where === End.HEAD ? 'lpop' : 'rpop', key, c.db.id);
  if (l.length === 0) {
    c.db.delete(key);
    c.server.notify('g', 'del', key, c.db.id);
  } else {
    l.shrinking(fill(c));
    c.db.touch(key);
  }
  c.server.dirty += count;
}

/**
 * Replies with elements start..end (inclusive, negative from the tail, as
 * LRANGE clamps them), reversed when `reverse`. Redis's addListRangeReply.
 */
export function rangeReply(c: Session, l: PackedList, start: number, end: number, reverse: boolean): void {
  const len = l.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (start > end || start >= len) {
    c.reply.array(0);
    return;
  }
  if (end >= len) end = len - 1;
  const n = end - start + 1;
  c.reply.array(n);
  l.visit(reverse ? end : start, n, reverse, (buf, off, blen) => {
    c.reply.bulkBytes(buf, off, off + blen);
  });
}

/** Pops up to `count` elements from one end with an array reply (LPOP/RPOP with count, LMPOP): returns how many. */
export function popRangeReply(c: Session, l: PackedList, where: End, count: number): number {
  const n = Math.min(count, l.length);
  if (where === End.HEAD) {
    rangeReply(c, l, 0, n - 1, false);
    l.dropHead(n);
  } else {
    rangeReply(c, l, -n, -1, true);
    l.dropTail(n);
  }
  return n;
}
