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
} from './collections.js';

export const RDB_TYPE_STRING = 0;

export interface WriteOptions {
  /** rdbcompression: LZF for strings longer than 20 bytes. */
  compress: boolean;
  /**
   * The RDB version the output is for (default 12). Below 11 (Redis 7.0's
   * 10) streams use RDB_TYPE_STREAM_LISTPACKS_2, without consumer active
   * times: what a 7.0 server writes and reads.
   */
  rdbVersion?: number;
}

export interface ValueWriter {
  /** The RDB type byte this value is written with. */
  rdbType(v: Value, opts: WriteOptions): number;
  write(w: RdbWriter, v: Value, opts: WriteOptions): void;
}

export type ValueReader = (r: RdbReader, rdbType: number) => Value;

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
for (const t of [RDB_TYPE_HASH, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_METADATA, RDB_TYPE_HASH_LISTPACK_EX]) readers.set(t, (r, ty) => readHash(r, ty) as unknown as Value);
writers.set('list', { rdbType: () => RDB_TYPE_LIST_QUICKLIST_2, write: (w, v, o) => writeList(w, v as unknown as PackedList, o.compress) });
for (const t of [RDB_TYPE_LIST, RDB_TYPE_LIST_QUICKLIST_2]) readers.set(t, (r, ty) => readList(r, ty) as unknown as Value);

function typeOf(v: Value): string {
  return Buffer.isBuffer(v) ? 'string' : v.kind;
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
export function readValue(r: RdbReader, rdbType: number): Value {
  const rd = readers.get(rdbType);
  if (rd === undefined) throw new RdbError(`Unknown RDB encoding type ${rdbType}`);
  return rd(r, rdbType);
}

export { Stream };
