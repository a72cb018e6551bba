/**
 * Which keys hold hashes with field TTLs, per database, for active field
 * expiry (Redis 7.4 keeps them in db->hexpires). A key is added whenever a
 * write leaves a hash with TTL fields at it (the server calls noteKey from
 * its keyModified hook, so RENAME, COPY, MOVE and the AOF loader are covered
 * too); entries whose key no longer holds such a hash are dropped lazily by
 * the next cycle.
 *
 * No network or command imports.
 */
import { HashValue } from './hash.js';

/** What the cycle needs from a database (keyspace.ts's Database satisfies it). */
export interface FieldExpiryDb {
  readonly id: number;
  peek(key: string): unknown;
  isExpired(key: string): boolean;
}

export class HashFieldExpiry {
  /** db id → keys that may hold hashes with field TTLs. */
  private readonly keys = new Map<number, Set<string>>();

  /** Called after a key changed: remembers it if it now holds a hash with field TTLs. O(1). */
  noteKey(db: FieldExpiryDb, key: string): void {
    const v = db.peek(key);
    if (!(v instanceof HashValue) || v.ttl === null) return;
    let set = this.keys.get(db.id);
    if (set === undefined) this.keys.set(db.id, (set = new Set()));
    set.add(key);
  }

  /** Keys of db holding hashes with field TTLs (INFO keyspace's subexpiry); forgets stale entries. O(tracked keys). */
  count(db: FieldExpiryDb): number {
    const set = this.keys.get(db.id);
    if (set === undefined) return 0;
    for (const key of set) {
      const v = db.peek(key);
      if (!(v instanceof HashValue) || v.ttl === null) set.delete(key);
    }
    return set.size;
  }

  /**
   * One active-expiry pass over `db`: for each tracked hash, `expire(key, h,
   * fields)` is called with its fields whose TTL passed (ascending expiry, at
   * most `perKey`), stopping after `budgetMs`. Keys that no longer hold a hash
   * with TTLs are forgotten.
   */
  cycle(db: FieldExpiryDb, now: number, budgetMs: number, perKey: number, expire: (key: string, h: HashValue, fields: string[]) => void): void {
    const set = this.keys.get(db.id);
    if (set === undefined) return;
    const start = Date.now();
    for (const key of set) {
      const v = db.peek(key);
      if (!(v instanceof HashValue) || v.ttl === null) {
        set.delete(key);
        continue;
      }
      if (db.isExpired(key)) continue; // the key's own expiry deals with it
      const due = v.expiredFields(now, perKey);
      if (due.length > 0) expire(key, v, due);
      if (Date.now() - start > budgetMs) break;
    }
    if (set.size === 0) this.keys.delete(db.id);
  }
}
