/**
 * What the set commands share: typed lookups (WRONGTYPE for other types),
 * the encoding thresholds from the config, storing a computed set (the
 * *STORE commands), and the reply of a list of members.
 */
import type { Session } from '../../lib/engine/session.js';
import type { Database } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { RSet, type SetLimits } from '../../lib/types/set.js';
import { lookupRead } from '../keyspace/lookup.js';

export function setLimits(c: Session): SetLimits {
  const cfg = c.server.config;
  return {
    intsetEntries: cfg.int('set-max-intset-entries'),
    listpackEntries: cfg.int('set-max-listpack-entries'),
    listpackValue: cfg.int('set-max-listpack-value'),
  };
}

/** A set for reading (counts keyspace hits/misses); undefined when missing; WRONGTYPE for other types. */
export function readSet(c: Session, key: string): RSet | undefined {
  const v = lookupRead(c, key);
  if (v !== undefined && !(v instanceof RSet)) throw E.WRONGTYPE;
  return v;
}

/** A set about to be modified (no hit/miss stats); undefined when missing; WRONGTYPE for other types. */
export function writeSet(c: Session, key: string, db: Database = c.db): RSet | undefined {
  const v = db.lookup(key);
  if (v !== undefined && !(v instanceof RSet)) throw E.WRONGTYPE;
  return v;
}

/** After removing members in place: deletes the key when the set became empty (event `del`), else tells watchers. */
export function afterRemove(c: Session, key: string, s: RSet, db: Database = c.db): void {
  if (s.size === 0) {
    db.delete(key);
    c.server.notify('g', 'del', key, db.id);
  } else {
    db.touch(key);
  }
}

/**
 * Stores a computed set at dst for the *STORE commands: replaces whatever
 * was there (any type, TTL dropped) and fires `event`; an empty result
 * deletes dst instead (event `del` when it existed). Replies the size.
 */
export function storeSet(c: Session, dst: string, members: Iterable<string>, event: string): void {
  const limits = setLimits(c);
  let s: RSet | null = null;
  for (const m of members) {
    s ??= new RSet(m, 0, limits);
    s.add(m, limits);
  }
  if (s === null || s.size === 0) {
    if (c.db.delete(dst)) {
      c.server.notify('g', 'del', dst, c.db.id);
      c.server.dirty++;
    }
    c.reply.int(0);
    return;
  }
  c.db.set(dst, s);
  c.server.notify('s', event, dst, c.db.id);
  c.server.dirty++;
  c.reply.int(s.size);
}

/** Members as a RESP3 set (`~`) or a RESP2 array. */
export function replySet(c: Session, members: readonly string[]): void {
  c.reply.set(members.length);
  for (const m of members) c.reply.bulkLatin1(m);
}
