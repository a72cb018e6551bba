/**
 * What the hash commands share: typed lookups (WRONGTYPE), creation with the
 * configured encoding limits, and reading a field with Redis 7.4's lazy
 * field expiry (an expired field is deleted on access, propagated as HDEL and
 * announced as `hexpired`; the hash goes when its last field does).
 */
import type { Session } from '../../lib/engine/session.js';
import { keyBuf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { HashValue, type FieldValue } from '../../lib/types/hash.js';
import { lookupRead } from '../keyspace/lookup.js';

/** A hash for reading (counts hits/misses); undefined when missing; WRONGTYPE otherwise. */
export function readHash(c: Session, key: string): HashValue | undefined {
  const v = lookupRead(c, key);
  if (v !== undefined && !(v instanceof HashValue)) throw E.WRONGTYPE;
  return v;
}

/** A hash about to be modified (no hit/miss stats); undefined when missing; WRONGTYPE otherwise. */
export function writeHash(c: Session, key: string): HashValue | undefined {
  const v = c.db.lookup(key);
  if (v !== undefined && !(v instanceof HashValue)) throw E.WRONGTYPE;
  return v;
}

export const maxEntries = (c: Session): number => c.server.config.int('hash-max-listpack-entries');
export const maxValue = (c: Session): number => c.server.config.int('hash-max-listpack-value');

/** Stores a hash that was just created (fires `new`), or tells watchers an existing one changed. */
export function commit(c: Session, key: string, h: HashValue, created: boolean): void {
  if (created) c.db.set(key, h);
  else c.db.touch(key);
}

/** Outcome of the last getField (Redis's GetFieldRes). */
export const enum Got {
  OK,
  NOT_FOUND,
  /** The field had expired and was deleted. */
  EXPIRED,
  /** ... and it was the last one: the key was deleted too. */
  EXPIRED_HASH,
}
export let got: Got = Got.OK;

/**
 * A field's value, expiring it lazily when its TTL has passed (sets `got`).
 * `notify` false: the caller fires one `hexpired` (and `del`) for several
 * fields itself (HMGET).
 */
export function getField(c: Session, key: string, h: HashValue, field: string, notify = true): FieldValue | undefined {
  const v = h.get(field);
  if (v === undefined) {
    got = Got.NOT_FOUND;
    return undefined;
  }
  if (h.ttl === null || !h.isExpired(field, c.server.now()) || c.server.loading) {
    got = Got.OK;
    return v;
  }
  expireField(c, key, h, field, notify);
  return undefined;
}

const HDEL = Buffer.from('HDEL');

/** Deletes an expired field as Redis does on access: HDEL propagated, `hexpired` (and `del`) fired unless !notify. Sets `got`. */
export function expireField(c: Session, key: string, h: HashValue, field: string, notify: boolean): void {
  h.delete(field);
  c.server.propagate(c.db.id, [[HDEL, keyBuf(key), Buffer.from(field, 'latin1')]]);
  c.server.stats.expiredSubkeys++;
  if (notify) c.server.notify('h', 'hexpired', key, c.db.id);
  if (h.size === 0) {
    if (notify) c.server.notify('g', 'del', key, c.db.id);
    c.db.delete(key);
    got = Got.EXPIRED_HASH;
  } else {
    c.db.touch(key);
    got = Got.EXPIRED;
  }
}

/**
 * Deletes every expired field of h (hashTypeExpireIfNeeded, before HRANDFIELD):
 * propagated as HDELs, one `hexpired` event. True when the hash went away.
 */
export function expireAllDue(c: Session, key: string, h: HashValue): boolean {
  if (h.ttl === null || c.server.loading) return false;
  const due = h.expiredFields(c.server.now());
  if (due.length === 0) return false;
  for (const f of due) {
    h.delete(f);
    c.server.propagate(c.db.id, [[HDEL, keyBuf(key), Buffer.from(f, 'latin1')]]);
    c.server.stats.expiredSubkeys++;
  }
  c.server.notify('h', 'hexpired', key, c.db.id);
  if (h.size === 0) {
    c.server.notify('g', 'del', key, c.db.id);
    c.db.delete(key);
    return true;
  }
  c.db.touch(key);
  return false;
}

/** Writes a stored value as a bulk string. */
export function replyValue(c: Session, v: FieldValue): void {
  if (typeof v === 'string') c.reply.bulkLatin1(v);
  else c.reply.bulk(v);
}
