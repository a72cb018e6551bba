/**
 * What Redis would report about a stored string: OBJECT ENCODING, OBJECT
 * REFCOUNT and MEMORY USAGE, plus amortised in-place growth for APPEND.
 *
 * A string value is a plain Buffer. Its Redis encoding usually follows from
 * its bytes, exactly as tryObjectEncoding decides when SET stores a value:
 * `int` for a canonical signed 64-bit integer of at most 20 bytes, `embstr`
 * up to 44 bytes, `raw` beyond. Values built by other paths keep another
 * encoding in Redis (APPEND and SETRANGE make `raw` strings, INCRBYFLOAT an
 * `embstr`/`raw` one that is never `int`); those Buffers are marked here.
 */
import { parseInt64 } from '../args.js';

type Forced = 'raw' | 'noint';
/** Buffers whose encoding is not read from their bytes. Weak: marks vanish with the value. */
const forced = new WeakMap<Buffer, Forced>();
/**
 * APPEND's growth buffers: a stored value `v` that is `backing.subarray(0, v.length)`
 * with spare room after it. Only the latest view of a backing is registered,
 * so bytes visible through an older view never change.
 */
const spare = new WeakMap<Buffer, Buffer>();

/** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_MAX = 44;
/** Redis shares the integer objects 0..9999 (OBJ_SHARED_INTEGERS); OBJECT REFCOUNT reports INT_MAX for them. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;

export function stringEncoding(b: Buffer): 'int' | 'embstr' | 'raw' {
  const f = forced.get(b);
  if (f === 'raw') return 'raw';
  if (f === undefined && b.length <= 20 && parseInt64(b) !== null) return 'int';
  return b.length <= EMBSTR_MAX ? 'embstr' : 'raw';
}

export function stringRefcount(b: Buffer): number {
  if (stringEncoding(b) !== 'int') return 1;
  const n = parseInt64(b) as number | bigint;
  return typeof n === 'number' && n >= 0 && n < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
}

/** Whether a string's encoding follows from its bytes alone (no mark, no APPEND spare room): it may be stored compactly. */
export function isPlainString(b: Buffer): boolean {
  return !forced.has(b) && !spare.has(b);
}

/** Marks a value Redis would hold as a raw string (APPEND, SETRANGE results). */
export function markRaw(b: Buffer): Buffer {
  forced.set(b, 'raw');
  return b;
}

/** Marks a value Redis would never integer-encode (INCRBYFLOAT results). */
export function markNoInt(b: Buffer): Buffer {
  forced.set(b, 'noint');
  return b;
}

/** An independent copy that keeps the original's encoding (COPY: dupStringObject). */
export function copyString(b: Buffer): Buffer {
  const out = Buffer.from(b);
  const f = forced.get(b);
  if (f !== undefined) forced.set(out, f);
  return out;
}

/**
 * `cur` followed by `add`, as a raw string. Grows like an sds string
 * (double below 1 MB, +1 MB above) so repeated APPENDs cost amortised O(len(add)).
 */
export function appendBytes(cur: Buffer, add: Buffer): Buffer {
  const total = cur.length + add.length;
  let backing = spare.get(cur);
  if (backing === undefined || total > backing.length) {
    const cap = total < 1024 * 1024 ? total * 2 : total + 1024 * 1024;
    backing = Buffer.allocUnsafe(cap);
    cur.copy(backing, 0);
  }
  add.copy(backing, cur.length);
  spare.delete(cur);
  const next = backing.subarray(0, total);
  spare.set(next, backing);
  return markRaw(next);
}

/** jemalloc's size class for an allocation of n bytes (what zmalloc_size reports). */
export function allocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const pow = 2 ** Math.floor(Math.log2(n - 1));
  const step = pow / 4;
  return Math.ceil(n / step) * step;
}

/** Bytes of an sds header for a string of len bytes (type 8 at least, as strings grown by Redis are). */
function sdsHeader(len: number, allowType5: boolean): number {
  if (allowType5 && len < 32) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  if (len < 2 ** 32) return 9;
  return 17;
}

/** sizeof(robj) and sizeof(dictEntry) on 64-bit Redis. */
const ROBJ = 16;
const DICT_ENTRY = 24;

/** MEMORY USAGE's overhead for the key itself: its sds and the dict entry. */
export function keyOverhead(keyLen: number): number {
  return allocSize(sdsHeader(keyLen, true) + keyLen + 1) + DICT_ENTRY;
}

/** MEMORY USAGE's figure for a string value (without the key), as Redis 7 computes it with jemalloc. */
export function stringMemory(b: Buffer): number {
  const enc = stringEncoding(b);
  if (enc === 'int') return ROBJ;
  if (enc === 'embstr') return allocSize(ROBJ + 3 + b.length + 1);
  const backing = spare.get(b);
  const alloc = backing ? backing.length : b.length;
  return ROBJ + allocSize(sdsHeader(alloc, false) + alloc + 1);
}
