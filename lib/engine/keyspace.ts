/**
 * Databases: key → value, expiry, and the hooks (WATCH, blocking, AOF,
 * keyspace notifications) that every write must reach.
 *
 * Keys are binary-safe: they are held as latin1 strings, which map bytes 1:1
 * to UTF-16 code units (see keyOf / keyBuf).
 */

import type { Value } from '../types/value.js';
import type { I64 } from '../stream/id.js';
import { isPlainString } from '../types/string.js';
import { KeyTable } from './keytable.js';

export type { TypedValue, Value } from '../types/value.js';
export { typeName } from '../types/registry.js';

export const keyOf = (b: Buffer): string => b.toString('latin1');

/**
 * How a value is held in a database's map. A small plain string value (at
 * most COMPACT_MAX bytes, no forced encoding, no APPEND spare room) is held as
 * a latin1 JS string: about 32 bytes for a short value where a Buffer object
 * costs about 150, which is most of a small key's footprint. Readers always get
 * a Buffer (a fresh one for a compact value: mutating it changes nothing
 * stored; writers store their result with set()).
 */
export type Stored = Value | string;
const COMPACT_MAX = 44;

function pack(v: Value): Stored {
  return Buffer.isBuffer(v) && v.length <= COMPACT_MAX && isPlainString(v) ? v.toString('latin1') : v;
}

/** The value of a stored entry. */
export function unpack(v: Stored): Value {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
}

/**
 * Access times are kept in tenths of a second since START, in the key table's
 * Int32Array (clamped there): about 6.8 years either side of START, more than
 * any idle time Redis reports (its LRU clock wraps after 194 days).
 */
const START = Date.now();
const TICK_MS = 100;
const tick = (ms: number): number => Math.floor((ms - START) / TICK_MS);
export const keyBuf = (k: string): Buffer => Buffer.from(k, 'latin1');

/** What the server wants to hear about key changes. */
export interface KeyspaceHooks {
  /** A key's value changed or was deleted (WATCH, CLIENT TRACKING-style invalidation). */
  keyModified(db: Database, key: string): void;
  /** A key expired and was removed (propagate DEL, notify `expired`). */
  keyExpired(db: Database, key: string): void;
  /** Wall clock in ms (overridable so DEBUG-style time control stays possible). */
  now(): number;
  /** A cheaper, coarser clock for access times (Redis's LRU clock); now() when absent. */
  lruNow?(): number;
  /** A key that did not exist was added (keyspace event `new`, fired before the command's own event, as Redis does). */
  keyCreated?(db: Database, key: string): void;
  /** An existing key's value or expiry is about to change or go (before set/delete/setExpire/persist/expireNow; not before in-place touch). */
  keyReplacing?(db: Database, key: string): void;
  /** Every key of the database went away at once (FLUSHDB, FLUSHALL, SWAPDB): blocked readers must look again. */
  flushed?(db: Database): void;
}

/** Who can WATCH a key: told which key changed so a stale (already expired) watched key that is deleted does not abort EXEC. */
export interface KeyWatcher {
  markDirty(db: Database, key: string): void;
  /**
   * SWAPDB is about to replace the contents of `db`: `existed` says whether
   * `key` is stored there now (expired or not), `replacement` what the other
   * database holds under it.
   */
  swapTouched(db: Database, key: string, existed: boolean, replacement: 'none' | 'expired' | 'live'): void;
}

export class Database {
  /**
   * Key → value and access time, one Map entry per key (see keytable.ts). Read
   * values with unpack, or through lookup/peek/entries; change them only
   * through this class. Iteration is in slot order (insertion order until
   * keys are deleted; a new key may take a deleted key's slot).
   */
  readonly data = new KeyTable<Stored>();
  /**
   * Key → absolute expiry time in unix ms, only for volatile keys. A number up to 2^53, a bigint beyond
   * (lib/stream/id.ts's I64 form), so any int64 Redis accepts stays exact; `<=` compares both forms with a number.
   */
  readonly expires = new Map<string, I64>();
  /** Clients watching each key (WATCH). */
  readonly watchers = new Map<string, Set<KeyWatcher>>();
  /**
   * Where active expiry resumes sampling `expires`: a live Map iterator, so
   * successive cycles walk the whole set instead of re-sampling the first
   * keys forever. Restarted when exhausted.
   */
  private expireCursor: IterableIterator<[string, I64]> | null = null;

  constructor(
    readonly id: number,
    private readonly hooks: KeyspaceHooks,
  ) {}

  get size(): number {
    return this.data.size;
  }

  /** The access clock's now, in ticks. */
  private nowTick(): number {
    return tick(this.hooks.lruNow !== undefined ? this.hooks.lruNow() : this.hooks.now());
  }

  /** Is the key logically expired right now? (Does not delete.) */
  isExpired(key: string): boolean {
    const at = this.expires.get(key);
    return at !== undefined && at <= this.hooks.now();
  }

  /**
   * The live value of key, deleting it first if it has expired. O(1).
   * `touch` (default) records the access for OBJECT IDLETIME; introspection passes false.
   */
  lookup(key: string, touch = true): Value | undefined {
    const slot = this.data.slotOf(key);
    if (slot === undefined) return undefined;
    if (this.expires.size !== 0 && this.isExpired(key)) {
      this.expireNow(key);
      return undefined;
    }
    if (touch) this.data.stamp(slot, this.nowTick());
    const v = this.data.valueAt(slot);
    return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
  }

  /** The stored value even if logically expired (MEMORY USAGE looks at the dict like Redis's dbFind). Never deletes. */
  peek(key: string): Value | undefined {
    const v = this.data.get(key);
    return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
  }

  /** Every key with its value (expired ones included), values as lookup returns them. */
  *entries(): IterableIterator<[string, Value]> {
    for (const [k, v] of this.data) yield [k, typeof v === 'string' ? Buffer.from(v, 'latin1') : v];
  }

  /** Milliseconds since the key was last accessed (OBJECT IDLETIME), 0 if unknown. */
  idleMs(key: string): number {
    const at = this.data.lastAccess(key);
    return at === undefined ? 0 : Math.max(0, this.hooks.now() - (START + at * TICK_MS));
  }

  /** Sets the key's idle time (RESTORE IDLETIME, RDB loading). */
  setIdle(key: string, idleMs: number): void {
    const slot = this.data.slotOf(key);
    if (slot !== undefined) this.data.stamp(slot, tick(this.hooks.now() - idleMs));
  }

  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  /**
   * Stores a value. The TTL is cleared unless keepTtl (SET KEEPTTL, in-place
   * updates such as APPEND or XADD that do not replace the key).
   */
  set(key: string, value: Value, keepTtl = false): void {
    const created = !this.data.has(key);
    if (!created) this.hooks.keyReplacing?.(this, key);
    this.data.put(key, pack(value), this.nowTick());
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
    if (created) this.hooks.keyCreated?.(this, key);
    this.hooks.keyModified(this, key);
  }

  /** Tells watchers that a key's value changed in place (APPEND on a stored Buffer, XADD on a stream). */
  touch(key: string): void {
    this.hooks.keyModified(this, key);
  }

  delete(key: string): boolean {
    if (!this.data.has(key)) return false;
    this.hooks.keyReplacing?.(this, key);
    this.data.remove(key);
    this.expires.delete(key);
    this.hooks.keyModified(this, key);
    return true;
  }

  setExpire(key: string, atMs: I64): void {
    if (this.data.has(key)) this.hooks.keyReplacing?.(this, key);
    this.expires.set(key, atMs);
    this.hooks.keyModified(this, key);
  }

  getExpire(key: string): I64 | undefined {
    return this.expires.get(key);
  }

  /** Removes the TTL; true if there was one. */
  persist(key: string): boolean {
    if (!this.expires.has(key)) return false;
    this.hooks.keyReplacing?.(this, key);
    this.expires.delete(key);
    this.hooks.keyModified(this, key);
    return true;
  }

  /** Deletes an expired key and tells the hooks (AOF DEL, `expired` event). */
  expireNow(key: string): void {
    if (this.data.has(key)) this.hooks.keyReplacing?.(this, key);
    this.data.remove(key);
    this.expires.delete(key);
    this.hooks.keyExpired(this, key);
    this.hooks.keyModified(this, key);
  }

  /** Removes every key; returns how many there were. Watchers of every key are told. */
  flush(): number {
    const n = this.data.size;
    const watchedPresent: string[] = [];
    for (const key of this.watchers.keys()) if (this.data.has(key)) watchedPresent.push(key);
    this.data.clear();
    this.expires.clear();
    this.expireCursor = null;
    // Told after clearing, so a watcher can see that a key it watched while already expired is simply gone (no logical change).
    for (const key of watchedPresent) this.hooks.keyModified(this, key);
    this.hooks.flushed?.(this);
    return n;
  }

  /** Live keys (expired ones are skipped, not deleted). */
  *liveKeys(): IterableIterator<string> {
    const now = this.hooks.now();
    for (const k of this.data.keys()) {
      const at = this.expires.get(k);
      if (at !== undefined && at <= now) continue;
      yield k;
    }
  }

  /**
   * One SCAN step from cursor (0 = start), about `count` keys visited (expired
   * ones skipped, not deleted). Returns the next cursor (0 when done). Every
   * key present for the whole iteration is visited (KeyTable.scan). O(count).
   */
  scan(cursor: number, count: number, visit: (key: string) => void): number {
    return this.data.scan(cursor, count, (k) => {
      if (!this.isExpired(k)) visit(k);
    });
  }

  /** A uniformly random live key, or undefined. O(1) expected; linear only when random picks keep finding expired keys. */
  randomKey(): string | undefined {
    return this.data.randomKey((k) => !this.isExpired(k)) ?? this.liveKeys().next().value;
  }

  /**
   * Active expiry: samples volatile keys and deletes expired ones, like Redis's
   * activeExpireCycle (repeat while more than a quarter of a sample expired,
   * within a time budget).
   */
  activeExpire(budgetMs: number): void {
    if (this.expires.size === 0) return;
    const start = Date.now();
    const now = this.hooks.now();
    for (;;) {
      let sampled = 0;
      let expired = 0;
      // At most one pass over a small set per round, so a key is not sampled twice in a round.
      const limit = Math.min(20, this.expires.size);
      while (sampled < limit) {
        let next = this.expireCursor?.next();
        if (next === undefined || next.done) {
          // Deleting the current entry while iterating a Map is safe; a finished iterator restarts from the oldest entry.
          this.expireCursor = this.expires.entries();
          next = this.expireCursor.next();
          if (next.done) break;
        }
        sampled++;
        const [k, at] = next.value;
        if (at <= now) {
          this.expireNow(k);
          expired++;
        }
      }
      if (expired * 4 <= sampled || Date.now() - start > budgetMs || this.expires.size === 0) return;
    }
  }
}
