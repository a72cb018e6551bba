/**
 * What the sorted-set commands share: typed lookups, the listpack/skiplist
 * thresholds and conversions (Redis's zsetTypeCreate / zsetTypeMaybeConvert /
 * zsetAdd), score and range argument parsing, and the replies of members
 * with scores in RESP2 and RESP3.
 */
import type { Session } from '../../lib/engine/session.js';
import type { Database } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { SortedSet, type LexRange, type ScoreRange } from '../../lib/types/zset.js';
import { formatScore, parseRangeDouble, parseScore } from '../../lib/types/double.js';
import { Proto } from '../../lib/resp/writer.js';
import { lookupRead } from '../keyspace/lookup.js';

export const NOT_A_FLOAT_RANGE = E.custom('ERR min or max is not a float');
export const NOT_A_LEX_RANGE = E.custom('ERR min or max not valid string range item');
export const SCORE_NAN = E.custom('ERR resulting score is not a number (NaN)');
export const MUST_BE_POSITIVE = E.custom('ERR value is out of range, must be positive');

export interface ZsetLimits {
  entries: number;
  value: number;
}

export function zsetLimits(c: Session): ZsetLimits {
  return { entries: c.server.config.int('zset-max-listpack-entries'), value: c.server.config.int('zset-max-listpack-value') };
}

/** A sorted set for reading (keyspace hits/misses counted); undefined when missing; WRONGTYPE otherwise. */
export function readZset(c: Session, key: string): SortedSet | undefined {
  const v = lookupRead(c, key);
  if (v !== undefined && !(v instanceof SortedSet)) throw E.WRONGTYPE;
  return v;
}

/** A sorted set about to be modified; undefined when missing; WRONGTYPE otherwise. */
export function writeZset(c: Session, key: string, db: Database = c.db): SortedSet | undefined {
  const v = db.lookup(key);
  if (v !== undefined && !(v instanceof SortedSet)) throw E.WRONGTYPE;
  return v;
}

/** A new sorted set with the encoding zsetTypeCreate picks for `sizeHint` members of up to `valueLenHint` bytes. */
export function createZset(limits: ZsetLimits, sizeHint: number, valueLenHint: number): SortedSet {
  const z = new SortedSet();
  z.listpack = sizeHint <= limits.entries && valueLenHint <= limits.value;
  return z;
}

/** zsetTypeMaybeConvert: a listpack about to receive `sizeHint` members (or one longer than the value limit) becomes a skiplist. */
export function maybeConvert(z: SortedSet, limits: ZsetLimits, sizeHint: number, valueLenHint: number): void {
  if (z.listpack && (sizeHint > limits.entries || valueLenHint > limits.value)) z.listpack = false;
}

/**
 * Adds or updates a member as zsetAdd does, converting a listpack that
 * would pass a threshold. A listpack stores scores as text, so -0 comes
 * back as 0 there. Returns true when added.
 */
export function zsetSet(z: SortedSet, limits: ZsetLimits, member: string, score: number): boolean {
  if (z.listpack && !z.has(member) && (z.size + 1 > limits.entries || member.length > limits.value)) z.listpack = false;
  if (z.listpack && score === 0) score = 0;
  return z.set(member, score);
}

/** A sorted set built from (member, score) pairs in ascending order, as the *STORE commands create theirs (zsetTypeCreate(count, 0) then adds). */
export function buildZset(limits: ZsetLimits, pairs: [string, number][]): SortedSet {
  const z = createZset(limits, pairs.length, 0);
  for (const [m, s] of pairs) zsetSet(z, limits, m, s);
  return z;
}

/**
 * zsetConvertToListpackIfNeeded: a result built as a skiplist goes back to
 * listpack when small enough (ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE).
 */
export function convertToListpackIfFits(z: SortedSet, limits: ZsetLimits): void {
  if (!z.listpack && z.size <= limits.entries && z.maxMemberLength() <= limits.value) {
    z.listpack = true;
    for (const node of z.dict.values()) if (Object.is(node.score, -0)) node.score = 0; // set() would see -0 === 0 and keep it
  }
}

/** A score argument (ZADD, ZINCRBY): Redis's "value is not a valid float" otherwise. */
export function scoreArg(b: Buffer): number {
  const v = parseScore(b);
  if (v === null) throw E.NOT_FLOAT;
  return v;
}

/** zslParseRange: `[(]number` bounds, strtod rules. */
export function scoreRangeArgs(min: Buffer, max: Buffer): ScoreRange {
  const one = (b: Buffer): [number, boolean] => {
    const s = b.toString('latin1');
    const ex = s.charCodeAt(0) === 40; /* '(' */
    const v = parseRangeDouble(ex ? s.slice(1) : s);
    if (v === null) throw NOT_A_FLOAT_RANGE;
    return [v, ex];
  };
  const [lo, loEx] = one(min);
  const [hi, hiEx] = one(max);
  return { min: lo, minEx: loEx, max: hi, maxEx: hiEx };
}

/** zslParseLexRange: `-`, `+`, `[member` or `(member`. */
export function lexRangeArgs(min: Buffer, max: Buffer): LexRange {
  const one = (b: Buffer, isMin: boolean): [string | number, boolean] => {
    if (b.length === 1 && b[0] === 45 /* '-' */) return [-Infinity, false];
    if (b.length === 1 && b[0] === 43 /* '+' */) return [Infinity, false];
    if (b.length >= 1 && b[0] === 40 /* '(' */) return [b.toString('latin1', 1), true];
    if (b.length >= 1 && b[0] === 91 /* '[' */) return [b.toString('latin1', 1), false];
    void isMin;
    throw NOT_A_LEX_RANGE;
  };
  const [lo, loEx] = one(min, true);
  const [hi, hiEx] = one(max, false);
  return { min: lo, minEx: loEx, max: hi, maxEx: hiEx };
}

/** A score reply: RESP3 double, RESP2 bulk string, both in Redis's format. */
export function replyScore(c: Session, d: number): void {
  const s = formatScore(d);
  if (c.reply.proto === Proto.RESP3) c.reply.raw(Buffer.from(',' + s + '\r\n', 'latin1'));
  else c.reply.bulkLatin1(s);
}

/** Members, optionally with scores: RESP2 flat [m, s, ...]; RESP3 [[m, s], ...] when withScores. */
export function replyMembers(c: Session, items: [string, number][], withScores: boolean): void {
  if (!withScores) {
    c.reply.array(items.length);
    for (const [m] of items) c.reply.bulkLatin1(m);
    return;
  }
  if (c.reply.proto === Proto.RESP3) {
    c.reply.array(items.length);
    for (const [m, s] of items) {
      c.reply.array(2);
      c.reply.bulkLatin1(m);
      replyScore(c, s);
    }
    return;
  }
  c.reply.array(items.length * 2);
  for (const [m, s] of items) {
    c.reply.bulkLatin1(m);
    replyScore(c, s);
  }
}

/** After removing members in place: deletes the emptied key (event `del`), else tells watchers. */
export function afterZsetRemove(c: Session, key: string, z: SortedSet): void {
  if (z.size === 0) {
    c.db.delete(key);
    c.server.notify('g', 'del', key, c.db.id);
  } else {
    c.db.touch(key);
  }
}

/** Stores a computed sorted set at dst (replacing any value, TTL dropped) with `event`; an empty result deletes dst. Replies the size. */
export function storeZset(c: Session, dst: string, z: SortedSet, event: string): void {
  if (z.size === 0) {
    if (c.db.delete(dst)) {
      c.server.notify('g', 'del', dst, c.db.id);
      c.server.dirty++;
    }
    c.reply.int(0);
    return;
  }
  c.db.set(dst, z);
  c.server.notify('z', event, dst, c.db.id);
  c.server.dirty++;
  c.reply.int(z.size);
}
