/**
 * Sets and sorted sets in RDB (rdb.c rdbSaveObject / rdbLoadObject):
 *
 *   RDB_TYPE_SET (2)           <n> <member>*                      hashtable (and 7.0's form of every non-intset set)
 *   RDB_TYPE_SET_INTSET (11)   <intset as a string>               intset
 *   RDB_TYPE_SET_LISTPACK (20) <listpack: member ...>             listpack (Redis 7.2+, RDB 11)
 *   RDB_TYPE_ZSET_2 (5)        <n> (<member> <score: binary double LE>)*   skiplist, written from the
 *                                                                 highest to the lowest (Redis walks its skiplist backwards)
 *   RDB_TYPE_ZSET (3)          <n> (<member> <score: ASCII double>)*       (read only, Redis < 2.8)
 *   RDB_TYPE_ZSET_LISTPACK (17) <listpack: member score ...>      listpack, scores as d2string text (an integer score is an integer element)
 *   RDB_TYPE_ZSET_ZIPLIST (12) <ziplist: member score ...>        (read only, Redis < 7)
 *
 *   intset = <encoding u32 LE: 2, 4 or 8> <length u32 LE> <length integers of that width, LE, ascending>
 *
 * Listpack and intset values come out byte for byte as Redis writes them:
 * set members in insertion order (listpack) or ascending at the width the
 * intset has grown to; zset members by (score, member) with the score text
 * of the target version (7.0's d2string prints %.17g, 7.2+ the shortest
 * round-trip digits). A hashtable set comes out in rivulet's order (Redis's
 * dict order is seeded at random); a skiplist zset comes out exactly.
 *
 * On load the encoding is chosen as Redis 7.4's rdbLoadObject does from the
 * limits in force; duplicates, empty values, NaN scores and damaged
 * containers are refused (RdbError).
 */
import { RSet } from '../types/set.js';
import { SortedSet } from '../types/zset.js';
import { formatScore, parseScore } from '../types/double.js';
import { type RdbReader, type RdbWriter, RdbError } from './encoding.js';
import { ListpackWriter, parseListpack, lpBytes, type LpElement } from './listpack.js';
import { parseZiplist } from './ziplist.js';
import type { EncodingLimits } from './limits.js';

export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_SET_LISTPACK = 20;

// ---- sets ---------------------------------------------------------------------

/** The type byte of a set for an RDB version (no set listpacks before RDB 11). */
export function setRdbType(s: RSet, rdbVersion: number): number {
  if (s.encoding === 'intset') return RDB_TYPE_SET_INTSET;
  if (s.encoding === 'listpack' && rdbVersion >= 11) return RDB_TYPE_SET_LISTPACK;
  return RDB_TYPE_SET;
}

/** The intset blob of an intset-encoded set. */
export function intsetBlob(s: RSet): Buffer {
  const width = s.intsetWidth;
  const list = s.list();
  const b = Buffer.allocUnsafe(8 + width * list.length);
  b.writeUInt32LE(width, 0);
  b.writeUInt32LE(list.length, 4);
  let p = 8;
  for (const m of list) {
    if (width === 2) b.writeInt16LE(Number(m), p);
    else if (width === 4) b.writeInt32LE(Number(m), p);
    else b.writeBigInt64LE(BigInt(m), p);
    p += width;
  }
  return b;
}

export function writeSet(w: RdbWriter, s: RSet, compress: boolean, rdbVersion: number): void {
  const t = setRdbType(s, rdbVersion);
  if (t === RDB_TYPE_SET_INTSET) return w.string(intsetBlob(s), compress);
  const list = s.list();
  if (t === RDB_TYPE_SET_LISTPACK) {
    const lp = new ListpackWriter();
    for (const m of list) lp.string(Buffer.from(m, 'latin1'));
    return w.string(lp.finish(), compress);
  }
  w.len(list.length);
  for (const m of list) w.string(Buffer.from(m, 'latin1'), compress);
}

/** intsetValidateIntegrity (deep): a known width, the length matching the bytes, strictly ascending values. */
function parseIntset(b: Buffer): { width: 2 | 4 | 8; members: string[] } {
  if (b.length < 8) throw new RdbError('Intset too short');
  const width = b.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) throw new RdbError(`Intset with an unknown encoding ${width}`);
  const n = b.readUInt32LE(4);
  if (8 + n * width !== b.length) throw new RdbError('Intset length does not match its size');
  if (n === 0) throw new RdbError('Empty intset');
  const members: string[] = [];
  let prev: bigint | null = null;
  for (let i = 0; i < n; i++) {
    const p = 8 + i * width;
    const v = width === 2 ? BigInt(b.readInt16LE(p)) : width === 4 ? BigInt(b.readInt32LE(p)) : b.readBigInt64LE(p);
    if (prev !== null && v <= prev) throw new RdbError('Intset values not in strictly ascending order');
    prev = v;
    members.push(v.toString());
  }
  return { width, members };
}

export function readSet(r: RdbReader, type: number, lim: EncodingLimits): RSet {
  if (type === RDB_TYPE_SET_INTSET) {
    const { width, members } = parseIntset(r.string('set intset'));
    const s = RSet.restore('intset', members, width);
    if (members.length > lim.setIntsetEntries) s.toHashtable();
    return s;
  }
  if (type === RDB_TYPE_SET_LISTPACK) {
    const els = parseListpack(r.string('set listpack'));
    if (els.length === 0) throw new RdbError('Empty set listpack');
    const members = els.map((e) => lpBytes(e).toString('latin1'));
    if (new Set(members).size !== members.length) throw new RdbError('Set listpack with duplicate elements');
    const s = RSet.restore('listpack', members);
    if (members.length > lim.setListpackEntries) s.toHashtable();
    return s;
  }
  // RDB_TYPE_SET: built member by member as rdbLoadObject does (intset while
  // the members are integers and few enough, then listpack or hashtable).
  const n = r.len('set size', r.remaining);
  if (n === 0) throw new RdbError('Empty set');
  const s = RSet.restore(n > Math.min(lim.setIntsetEntries, 1 << 30) ? 'hashtable' : 'intset', []);
  const setLimits = { intsetEntries: lim.setIntsetEntries, listpackEntries: lim.setListpackEntries, listpackValue: lim.setListpackValue };
  for (let i = 0; i < n; i++) {
    const m = r.string('set member').toString('latin1');
    if (!s.add(m, setLimits)) throw new RdbError('Duplicate set members detected');
  }
  return s;
}

// ---- sorted sets ----------------------------------------------------------------

/** ±2^62 (LLONG_MAX/2 as a double): double2ll's range. */
const LL_HALF = 4611686018427387904;

/** 7.0's d2string: integers within ±2^62 as integers (double2ll), everything else as printf's %.17g. */
export function formatScore70(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  if (d >= -LL_HALF && d <= LL_HALF && Number.isInteger(d)) return Number.isSafeInteger(d) ? String(d) : BigInt(d).toString();
  const e = d.toExponential(16);
  const at = e.indexOf('e');
  const exp = Number(e.slice(at + 1));
  const strip = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= 17) {
    const a = Math.abs(exp);
    return `${strip(e.slice(0, at))}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
  }
  return strip(d.toFixed(16 - exp));
}

export function zsetRdbType(z: SortedSet): number {
  return z.listpack ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
}

export function writeZset(w: RdbWriter, z: SortedSet, compress: boolean, rdbVersion: number): void {
  if (z.listpack) {
    const fmt = rdbVersion >= 11 ? formatScore : formatScore70;
    const lp = new ListpackWriter();
    for (const [m, sc] of z.entries()) {
      lp.string(Buffer.from(m, 'latin1'));
      lp.string(Buffer.from(fmt(sc), 'latin1'));
    }
    return w.string(lp.finish(), compress);
  }
  w.len(z.size);
  for (let x = z.last(); x !== null; x = x.prev) {
    w.string(Buffer.from(x.member, 'latin1'), compress);
    w.binaryDouble(x.score);
  }
}

/** A score element of a listpack / ziplist zset (text as d2string wrote it, or an integer element). */
function scoreOf(e: LpElement): number {
  if (!Buffer.isBuffer(e)) return Number(e);
  const v = e.length <= 128 ? parseScore(e) : null;
  if (v === null || Number.isNaN(v)) throw new RdbError('Zset listpack with a score that is not a valid double');
  return v;
}

export function readZset(r: RdbReader, type: number, lim: EncodingLimits): SortedSet {
  const z = new SortedSet();
  if (type === RDB_TYPE_ZSET_LISTPACK || type === RDB_TYPE_ZSET_ZIPLIST) {
    const blob = r.string('zset listpack');
    const els = type === RDB_TYPE_ZSET_LISTPACK ? parseListpack(blob) : parseZiplist(blob);
    if (els.length === 0) throw new RdbError('Empty zset listpack');
    if (els.length % 2 !== 0) throw new RdbError('Zset listpack with an odd number of elements');
    for (let i = 0; i < els.length; i += 2) {
      const m = lpBytes(els[i]).toString('latin1');
      if (z.has(m)) throw new RdbError('Zset listpack with duplicate elements');
      let sc = scoreOf(els[i + 1]);
      if (sc === 0) sc = 0; // a listpack holds no -0
      z.set(m, sc);
    }
    z.listpack = z.size <= lim.zsetEntries;
    return z;
  }
  const n = r.len('zset size', r.remaining);
  if (n === 0) throw new RdbError('Empty zset');
  let maxLen = 0;
  for (let i = 0; i < n; i++) {
    const m = r.string('zset member').toString('latin1');
    const sc = type === RDB_TYPE_ZSET_2 ? r.binaryDouble('zset score') : r.asciiDouble('zset score');
    if (Number.isNaN(sc)) throw new RdbError('Zset with NAN score detected');
    if (z.has(m)) throw new RdbError('Duplicate zset fields detected');
    z.set(m, sc);
    if (m.length > maxLen) maxLen = m.length;
  }
  // Converted after loading, as rdbLoadObject does (the scores of a listpack lose their -0).
  z.listpack = n <= lim.zsetEntries && maxLen <= lim.zsetValue;
  if (z.listpack) for (const node of z.dict.values()) if (Object.is(node.score, -0)) node.score = 0;
  return z;
}
