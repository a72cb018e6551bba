/**
 * The value-type registry: one ValueType per TYPE name, through which TYPE,
 * OBJECT ENCODING/REFCOUNT, MEMORY USAGE, COPY and the AOF rewrite dispatch.
 * Strings are described here (lib/types/string.ts has their encoding rules);
 * every other type describes itself through its TypedValue methods, so a new
 * type only implements TypedValue — nothing generic changes. Later RDB
 * encodings hang off the same entry.
 */
import type { TypedValue, Value } from './value.js';
import { copyString, stringEncoding, stringMemory, stringRefcount } from './string.js';

export interface ValueType {
  /** TYPE's answer. */
  readonly name: string;
  encoding(v: Value): string;
  /** OBJECT REFCOUNT (Redis shares small integers; everything else is 1). */
  refcount(v: Value): number;
  memoryUsage(v: Value): number;
  clone(v: Value): Value;
  /** Commands recreating the value (AOF rewrite), or null when the type has no rewrite of its own. */
  rewrite(key: Buffer, v: Value): Iterable<Buffer[]> | null;
}

const SET = Buffer.from('SET');

export const STRING_TYPE: ValueType = {
  name: 'string',
  encoding: (v) => stringEncoding(v as Buffer),
  refcount: (v) => stringRefcount(v as Buffer),
  memoryUsage: (v) => stringMemory(v as Buffer),
  clone: (v) => copyString(v as Buffer),
  rewrite: (key, v) => [[SET, key, v as Buffer]],
};

/** Types described by their own TypedValue methods, one descriptor per TYPE name. */
const objectTypes = new Map<string, ValueType>();

function objectType(kind: string): ValueType {
  let t = objectTypes.get(kind);
  if (t === undefined) {
    t = {
      name: kind,
      encoding: (v) => (v as TypedValue).encoding,
      refcount: () => 1,
      memoryUsage: (v) => (v as TypedValue).memoryUsage(),
      clone: (v) => (v as TypedValue).clone(),
      rewrite: (key, v) => (v as TypedValue).rewrite?.(key) ?? null,
    };
    objectTypes.set(kind, t);
  }
  return t;
}

/** The ValueType of a stored value. */
export function typeOf(v: Value): ValueType {
  return Buffer.isBuffer(v) ? STRING_TYPE : objectType(v.kind);
}

/** TYPE's answer for a value. */
export function typeName(v: Value): string {
  return Buffer.isBuffer(v) ? 'string' : v.kind;
}
