/**
 * used_memory as rivulet reports it (INFO memory, MEMORY STATS) and as
 * maxmemory compares it: what the data costs, not the V8 heap.
 *
 *   used_memory = STARTUP_BYTES                      (an empty server: redis-server 7's used_memory_startup)
 *               + Σ keys: key overhead + value size  (MEMORY USAGE's figure for each key)
 *               + Σ clients: CLIENT_BYTES + unsent reply bytes
 *
 * The V8 heap of an empty rivulet is ~10 MB and moves with garbage
 * collection, so a small maxmemory would refuse the first write and OOM
 * decisions would depend on GC timing. Counting the data instead makes
 * `maxmemory 5mb` behave as on Redis, and INFO still shows the process's
 * real footprint as used_memory_rss and allocator_* (V8's heap).
 *
 * Key costs are brought up to date lazily: a write marks its key dirty
 * (O(1)); the next read of the total (an OOM check, INFO, the cron)
 * re-measures only the dirty keys. A key holding another type keeps its last
 * measured cost in a map (its value changes in place); a string key keeps
 * none (30 bytes a key that a million small keys would pay): its cost is
 * taken out just before the database replaces or drops it (replacing()), as it
 * can be computed from the value still there, and added back when measured.
 */
import type { Database, Value } from './engine/keyspace.js';
import { keyOverhead, stringMemory } from './types/string.js';

/** redis-server 7.x's used_memory_startup on 64-bit Linux (876,000 bytes for 7.0; 7.4 is within a few KB). */
export const STARTUP_BYTES = 876_000;
/** What one idle connection costs Redis (client struct, empty query and reply buffers): about 5 KB measured on 7.0. */
export const CLIENT_BYTES = 5_120;
/** An entry in the expires table. */
const EXPIRE_BYTES = 24;

/** MEMORY USAGE's figure for one key and its value. */
export function keyCost(key: string, v: Value): number {
  return keyOverhead(key.length) + (Buffer.isBuffer(v) ? stringMemory(v) : v.memoryUsage());
}

export class MemoryTracker {
  /** Per database: the cost last measured for each key that holds a non-string value. */
  private readonly costs = new Map<Database, Map<string, number>>();
  /** Per database: the summed cost of its string keys (counted in total). */
  private readonly strings = new Map<Database, number>();
  /** Keys written since they were last measured. */
  private readonly dirty = new Map<Database, Set<string>>();
  private total = 0;

  /** A key was written, deleted or expired: measure it again on the next read. O(1). */
  touched(db: Database, key: string): void {
    let set = this.dirty.get(db);
    if (!set) this.dirty.set(db, (set = new Set()));
    set.add(key);
  }

  /**
   * A key is about to be replaced, expire-changed or dropped: a string key's
   * current cost leaves the total now (once until it is measured again).
   */
  replacing(db: Database, key: string): void {
    const dirty = this.dirty.get(db);
    if (dirty !== undefined && dirty.has(key)) return;
    const v = db.peek(key);
    if (v === undefined || !Buffer.isBuffer(v)) return;
    const c = keyCost(key, v) + (db.getExpire(key) === undefined ? 0 : EXPIRE_BYTES);
    this.total -= c;
    this.strings.set(db, (this.strings.get(db) ?? 0) - c);
    this.touched(db, key);
  }

  /** Every key of db went away (FLUSHDB, FLUSHALL, SWAPDB's first step). */
  flushed(db: Database): void {
    const costs = this.costs.get(db);
    if (costs) for (const c of costs.values()) this.total -= c;
    this.costs.delete(db);
    this.total -= this.strings.get(db) ?? 0;
    this.strings.delete(db);
    // Keys set again after the flush re-mark themselves.
    this.dirty.delete(db);
  }

  /** Bytes of all keys and values, after measuring the dirty keys. */
  dataBytes(): number {
    if (this.dirty.size > 0) {
      for (const [db, keys] of this.dirty) {
        let costs = this.costs.get(db);
        if (!costs) this.costs.set(db, (costs = new Map()));
        for (const key of keys) {
          const before = costs.get(key) ?? 0;
          const v = db.peek(key);
          const after = v === undefined ? 0 : keyCost(key, v) + (db.getExpire(key) === undefined ? 0 : EXPIRE_BYTES);
          if (v !== undefined && Buffer.isBuffer(v)) {
            // A string: its old cost already left the total in replacing().
            costs.delete(key);
            this.strings.set(db, (this.strings.get(db) ?? 0) + after);
          } else if (after === 0) costs.delete(key);
          else costs.set(key, after);
          this.total += after - before;
        }
      }
      this.dirty.clear();
    }
    return this.total;
  }

  /** Non-string keys measured per database — for tests. */
  measuredKeys(db: Database): number {
    return this.costs.get(db)?.size ?? 0;
  }
}
