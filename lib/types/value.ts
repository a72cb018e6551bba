/**
 * What a stored value is. A string is a plain Buffer; every other type
 * (stream, hash, list, set, sorted set) is an object implementing
 * TypedValue, which declares everything the generic commands need: TYPE,
 * OBJECT ENCODING, MEMORY USAGE, COPY and the AOF rewrite. The registry
 * (registry.ts) turns either form into one ValueType, so no generic command
 * switches on classes. Nothing here knows the network or the engine.
 */

/** A value other than a string. */
export interface TypedValue {
  /** TYPE's answer (`stream`, `hash`, `list`, `set`, `zset`). */
  readonly kind: string;
  /** OBJECT ENCODING's answer (Redis's names: `listpack`, `quicklist`, `hashtable`, `intset`, `skiplist`, `stream`). */
  readonly encoding: string;
  /** MEMORY USAGE's estimate of the value, in bytes (without the key). */
  memoryUsage(): number;
  /** An independent copy (COPY, and the snapshot an AOF rewrite serialises). */
  clone(): TypedValue;
  /**
   * The commands that recreate the value at `key`, in the forms Redis's AOF
   * rewrite writes (so redis-server loads them too), one argv at a time.
   * Streams are still serialised by lib/persistence/serialize.ts.
   */
  rewrite?(key: Buffer): Iterable<Buffer[]>;
}

/** A string value is a Buffer; everything else is a TypedValue. */
export type Value = Buffer | TypedValue;

/** Anything a lookup can ask for by class: `Buffer` for strings, `Stream`, `Hash`, ... */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ValueClass<T extends Value> = abstract new (...args: any[]) => T;
