/**
 * The storage behind one database: key → value and the key's access clock,
 * one Map entry per key.
 *
 *   index: Map<key, slot>          the only hash table (a small integer per key: no heap object)
 *   keyAt[slot]    key string      the same string object the Map holds (a pointer, not a copy)
 *   valAt[slot]    Stored value    a latin1 string for a small plain string (see keyspace.ts), else the Value
 *   clock[slot]    Int32           last access in ticks (OBJECT IDLETIME), see keyspace.ts
 *
 *   slot:    0     1     2     3     4   ...  top-1 | top ... capacity
 *   keyAt:  "a"  undef  "c"   "d"  undef      "z"   |  (unused)
 *   free:   [4, 1]  (LIFO stack of the empty slots below top)
 *
 * A key keeps its slot from insertion until it is removed: nothing moves
 * live keys except compact(), which runs when fewer than a quarter of the
 * slots below `top` are used, slides the live keys down in slot order and
 * bumps `epoch`. Removed keys leave an empty slot that the next insertion
 * reuses.
 *
 * Why slots: a key used to cost three Map entries (value, a SCAN ticket, an
 * access time), ~30 bytes each plus Map slack. With slots the value and
 * access time are array elements (8 + 4 bytes) and SCAN's cursor is a slot
 * position (see scan()), so a million small keys cost one Map entry each.
 */

/** Slots per epoch in a SCAN cursor (a cursor is epoch * EPOCH_UNIT + next slot). */
const EPOCH_UNIT = 2 ** 32;
/** Epochs wrap here so that a cursor stays below 2^53. */
const EPOCH_WRAP = 2 ** 20;
/** No compaction below this many slots (a small table's holes cost nothing worth a moved cursor). */
const COMPACT_MIN_SLOTS = 64;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export class KeyTable<V> {
  private readonly index = new Map<string, number>();
  private keyAt: (string | undefined)[] = [];
  private valAt: (V | undefined)[] = [];
  private clock = new Int32Array(16);
  /** Empty slots below top, most recently emptied last. */
  private free: number[] = [];
  /** Slots in use or emptied: [0, top). */
  private top = 0;
  /** Bumped by every compaction (slots moved), so cursors from before it are recognised. */
  private epoch = 0;

  get size(): number {
    return this.index.size;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The stored value (expired or not). O(1). */
  get(key: string): V | undefined {
    const s = this.index.get(key);
    return s === undefined ? undefined : this.valAt[s];
  }

  /** The key's slot, or undefined. */
  slotOf(key: string): number | undefined {
    return this.index.get(key);
  }

  valueAt(slot: number): V {
    return this.valAt[slot] as V;
  }

  /** Stores value under key (a new key takes a slot; an existing one keeps its slot) and stamps its clock. Returns true if the key was new. */
  put(key: string, value: V, tick: number): boolean {
    let s = this.index.get(key);
    if (s !== undefined) {
      this.valAt[s] = value;
      this.stamp(s, tick);
      return false;
    }
    s = this.free.length > 0 ? this.free.pop()! : this.top++;
    if (s === this.keyAt.length) {
      this.keyAt.push(key);
      this.valAt.push(value);
    } else {
      this.keyAt[s] = key;
      this.valAt[s] = value;
    }
    if (s >= this.clock.length) {
      const grown = new Int32Array(Math.max(16, Math.ceil(this.clock.length * 1.5)));
      grown.set(this.clock);
      this.clock = grown;
    }
    this.stamp(s, tick);
    this.index.set(key, s);
    return true;
  }

  /** Records an access (OBJECT IDLETIME) for a key at slot. */
  stamp(slot: number, tick: number): void {
    this.clock[slot] = tick < INT32_MIN ? INT32_MIN : tick > INT32_MAX ? INT32_MAX : tick;
  }

  /** The last access of key in ticks, or undefined for a missing key. */
  lastAccess(key: string): number | undefined {
    const s = this.index.get(key);
    return s === undefined ? undefined : this.clock[s];
  }

  /** Removes key; false if it was not stored. */
  remove(key: string): boolean {
    const s = this.index.get(key);
    if (s === undefined) return false;
    this.index.delete(key);
    this.keyAt[s] = undefined;
    this.valAt[s] = undefined;
    if (this.index.size === 0) {
      this.clear();
      return true;
    }
    this.free.push(s);
    if (this.top >= COMPACT_MIN_SLOTS && this.index.size * 4 < this.top) this.compact();
    return true;
  }

  clear(): void {
    this.index.clear();
    this.keyAt = [];
    this.valAt = [];
    this.clock = new Int32Array(16);
    this.free = [];
    this.top = 0;
    // A cursor handed out before the flush must not skip keys added after it.
    this.epoch = (this.epoch + 1) % EPOCH_WRAP;
  }

  /**
   * Slides the live keys down to slots 0..size-1, keeping their order, and
   * drops the arrays' spare room. O(slots). Cursors from before restart.
   */
  private compact(): void {
    const n = this.index.size;
    const keys: (string | undefined)[] = new Array(n);
    const vals: (V | undefined)[] = new Array(n);
    const clock = new Int32Array(Math.max(16, n));
    let j = 0;
    for (let s = 0; s < this.top; s++) {
      const k = this.keyAt[s];
      if (k === undefined) continue;
      keys[j] = k;
      vals[j] = this.valAt[s];
      clock[j] = this.clock[s];
      this.index.set(k, j);
      j++;
    }
    this.keyAt = keys;
    this.valAt = vals;
    this.clock = clock;
    this.free = [];
    this.top = n;
    this.epoch = (this.epoch + 1) % EPOCH_WRAP;
  }

  *keys(): IterableIterator<string> {
    for (let s = 0; s < this.top; s++) {
      const k = this.keyAt[s];
      if (k !== undefined) yield k;
    }
  }

  *values(): IterableIterator<V> {
    for (let s = 0; s < this.top; s++) if (this.keyAt[s] !== undefined) yield this.valAt[s] as V;
  }

  *entries(): IterableIterator<[string, V]> {
    for (let s = 0; s < this.top; s++) {
      const k = this.keyAt[s];
      if (k !== undefined) yield [k, this.valAt[s] as V];
    }
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  /**
   * One SCAN step from `cursor` (0 = from the start): visits keys in slot
   * order until `count` keys were visited (or count * 10 slots looked at),
   * and returns the next cursor, 0 when the end was reached.
   *
   * Redis's guarantee holds: a key present for the whole iteration keeps its
   * slot, and the slots are walked upward, so it is visited — unless a
   * compaction moved it, and then the cursor's epoch is stale and the walk
   * starts again from slot 0 (keys may be returned twice, which SCAN
   * allows, but none is missed).
   */
  scan(cursor: number, count: number, visit: (key: string) => void): number {
    let s = 0;
    if (cursor !== 0) {
      s = cursor % EPOCH_UNIT;
      if (Math.floor(cursor / EPOCH_UNIT) !== this.epoch) s = 0;
    }
    let seen = 0;
    let looked = 0;
    const maxLooks = count * 10;
    for (; s < this.top; s++) {
      const k = this.keyAt[s];
      if (k === undefined) {
        if (++looked >= maxLooks) {
          s++;
          break;
        }
        continue;
      }
      visit(k);
      if (++seen >= count) {
        s++;
        break;
      }
    }
    return s >= this.top ? 0 : this.epoch * EPOCH_UNIT + s;
  }

  /** A uniformly random stored key (expired or not) for which accept() is true, or undefined after a few tries. */
  randomKey(accept: (key: string) => boolean): string | undefined {
    if (this.index.size === 0) return undefined;
    // At least a quarter of the slots below top are used (compaction), so few tries miss.
    for (let attempt = 0; attempt < 64; attempt++) {
      const k = this.keyAt[Math.floor(Math.random() * this.top)];
      if (k !== undefined && accept(k)) return k;
    }
    return undefined;
  }
}
