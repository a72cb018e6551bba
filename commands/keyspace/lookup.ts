/**
 * Key lookups shared by the keyspace and string commands, with Redis's
 * bookkeeping: read lookups count keyspace hits and misses (lookupKeyRead),
 * write lookups do not (lookupKeyWrite); both delete an expired key first.
 */
import type { Session } from '../../lib/engine/session.js';
import type { Database, Value } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';

/** A read lookup: counts a hit or a miss. `touch` false for introspection (TYPE, TTL, OBJECT: Redis's LOOKUP_NOTOUCH). */
export function lookupRead(c: Session, key: string, touch = true): Value | undefined {
  return c.lookupRead(key, undefined, touch);
}

/** A string for reading: undefined when missing; throws WRONGTYPE for other types. */
export function readString(c: Session, key: string): Buffer | undefined {
  return c.lookupRead(key, Buffer);
}

/** A string about to be modified: undefined when missing; throws WRONGTYPE. No hit/miss stats. */
export function writeString(c: Session, key: string): Buffer | undefined {
  return c.lookupWrite(key, Buffer);
}

/**
 * A database index argument (MOVE, COPY DB): a 32-bit integer
 * (getIntFromObject) naming an existing database.
 */
export function databaseArg(c: Session, b: Buffer): Database {
  const n = parseInt64(b);
  if (n === null) throw E.NOT_INTEGER;
  if (typeof n === 'bigint' || n < -2147483648 || n > 2147483647) throw E.INT32_OUT_OF_RANGE;
  if (n < 0 || n >= c.server.dbs.length) throw E.OUT_OF_RANGE_DB;
  return c.server.dbs[n];
}
