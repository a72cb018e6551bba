/**
 * Value codecs per type: which RDB type byte a value is written with, how
 * it is written, and which type bytes read back into which value. A table
 * keyed by TYPE name (writers) and RDB type byte (readers), so the value-type
 * registry can take these entries over per type.
 *
 * Strings are written as rdbSaveStringObject does (int encodings for
 * canonical 32-bit integers, LZF above 20 bytes when compression is on) —
 * the result depends only on the bytes, so no OBJECT ENCODING state is needed.
 */
import type { Value } from '../engine/keyspace.js';
import { Stream } from '../stream/stream.js';
import { RdbError, type RdbReader, type RdbWriter } from './encoding.js';
import { readStream, writeStream, RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3 } from './stream.js';

import { HashValue } from '../types/hash.js';
import { PackedList } from '../types/list.js';
import { RSet } from '../types/set.js';
import { SortedSet } from '../types/zset.js';
import { DEFAULT_LIMITS, type EncodingLimits } from './limits.js';
import {
  setRdbType,
  writeSet,
  readSet,
  zsetRdbType,
  writeZset,
  readZset,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_ZIPLIST,
  RDB_TYPE_ZSET_LISTPACK,
} from './sets.js';
import {
  hashRdbType,
  writeHash,
  readHash,
  writeList,
  readList,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_METADATA,
  RDB_TYPE_HASH_LISTPACK_EX,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_HASH_ZIPLIST,
} from './collections.js';

export const RDB_TYPE_STRING = 0;

export interface WriteOptions {
  /** rdbcompression: LZF for strings longer than 20 bytes. */
  compress: boolean;
  /**
   * The RDB version the output is for (default 12). Below 11 (Redis 7.0's
   * 10) streams use RDB_TYPE_STREAM_LISTPACKS_2, without consumer active
   * times, and sets never use RDB_TYPE_SET_LISTPACK and zset listpacks
   * print scores with %.17g: what a 7.0 server writes and reads.
   */
  rdbVersion?: number;
  /** The writing server's encoding limits (quicklist node sizes); Redis's defaults when absent. */
  limits?: EncodingLimits;
}

export interface ValueWriter {
  /** The RDB type byte this value is written with. */
  rdbType(v: Value, opts: WriteOptions): number;
  write(w: RdbWriter, v: Value, opts: WriteOptions): void;
}

/** Reads a value; `limits` are the loading server's (they pick the encodings). */
export type ValueReader = (r: RdbReader, rdbType: number, limits: EncodingLimits) => Value;

/** TYPE name → writer. */
export const writers = new Map<string, ValueWriter>();
/** RDB type byte → reader. */
export const readers = new Map<number, ValueReader>();

writers.set('string', {
  rdbType: () => RDB_TYPE_STRING,
  write: (w, v, o) => w.string(v as Buffer, o.compress),
});
readers.set(RDB_TYPE_STRING, (r) => Buffer.from(r.string('string value')));

const streamType = (o: WriteOptions): number => ((o.rdbVersion ?? 12) < 11 ? RDB_TYPE_STREAM_LISTPACKS_2 : RDB_TYPE_STREAM_LISTPACKS_3);
writers.set('stream', {
  rdbType: (_v, o) => streamType(o),
  write: (w, v, o) => writeStream(w, v as Stream, o.compress, streamType(o)),
});
for (const t of [RDB_TYPE_STREAM_LISTPACKS, RDB_TYPE_STREAM_LISTPACKS_2, RDB_TYPE_STREAM_LISTPACKS_3]) readers.set(t, readStream);

writers.set('hash', { rdbType: (v) => hashRdbType(v as unknown as HashValue), write: (w, v, o) => writeHash(w, v as unknown as HashValue, o.compress) });
for (const t of [RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_METADATA, RDB_TYPE_HASH_LISTPACK_EX, RDB_TYPE_HASH_ZIPLIST]) readers.set(t, (r, ty, l) => readHash(r, ty, l) as unknown as Value);
writers.set('list', { rdbType: () => RDB_TYPE_LIST_QUICKLIST_2, write: (w, v, o) => writeList(w, v as unknown as PackedList, o.compress, o.limits ?? DEFAULT_LIMITS) });
for (const t of [RDB_TYPE_LIST, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_LIST_QUICKLIST]) readers.set(t, (r, ty, l) => readList(r, ty, l) as unknown as Value);
const version = (o: WriteOptions): number => o.rdbVersion ?? 12;
writers.set('set', { rdbType: (v, o) => setRdbType(v as unknown as RSet, version(o)), write: (w, v, o) => writeSet(w, v as unknown as RSet, o.compress, version(o)) });
for (const t of [RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_SET_LISTPACK]) readers.set(t, (r, ty, l) => readSet(r, ty, l) as unknown as Value);
writers.set('zset', { rdbType: (v) => zsetRdbType(v as unknown as SortedSet), write: (w, v, o) => writeZset(w, v as unknown as SortedSet, o.compress, version(o)) });
for (const t of [RDB_TYPE_ZSET, RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST, RDB_TYPE_ZSET_LISTPACK]) readers.set(t, (r, ty, l) => readZset(r, ty, l) as unknown as Value);

function typeOf(v: Value): string {
  return Buffer.isBuffer(v) ? 'string' : v.kind;
}

/**
 * Does the RDB form keep everything about this value? Not for a stream with
 * Redis 8.6 IDMP state, whose RDB encoding (type 26) rivulet does not write:
 * an AOF rewrite keeps such a dataset in RESP form instead.
 */
export function rdbKeepsAll(v: Value): boolean {
  if (!canWrite(v)) return false;
  return !(v instanceof Stream) || v.idmp === null;
}

/** Can this value be written in RDB? (false for types without a codec yet) */
export function canWrite(v: Value): boolean {
  return writers.has(typeOf(v));
}

function writerOf(v: Value): ValueWriter {
  const wr = writers.get(typeOf(v));
  if (wr === undefined) throw new Error(`no RDB encoding for values of type ${typeOf(v)}`);
  return wr;
}

/** The type byte a value is written with (rdbSaveObjectType). Throws for a type without a codec. */
export function rdbTypeOf(v: Value, opts: WriteOptions): number {
  return writerOf(v).rdbType(v, opts);
}

/** Writes the value without its type byte (rdbSaveObject). */
export function writeValue(w: RdbWriter, v: Value, opts: WriteOptions): void {
  writerOf(v).write(w, v, opts);
}

/** Writes the type byte and the value (rdbSaveObjectType + rdbSaveObject). Throws for a type without a codec. */
export function writeTypedValue(w: RdbWriter, v: Value, opts: WriteOptions): void {
  const wr = writerOf(v);
  w.byte(wr.rdbType(v, opts));
  wr.write(w, v, opts);
}

/** Is this byte a value type (not an opcode) rivulet can read? */
export function isReadableType(t: number): boolean {
  return readers.has(t);
}

/** Reads a value of the given type byte. Throws RdbError (unknown type, malformed data). */
export function readValue(r: RdbReader, rdbType: number, limits: EncodingLimits = DEFAULT_LIMITS): Value {
  const rd = readers.get(rdbType);
  if (rd === undefined) throw new RdbError(`Unknown RDB encoding type ${rdbType}`);
  return rd(r, rdbType, limits);
}

export { Stream };
