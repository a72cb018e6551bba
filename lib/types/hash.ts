/**
 * The hash value: field → value, binary-safe, with optional per-field expiry
 * (Redis 7.4 HEXPIRE and friends).
 *
 * Fields are latin1 strings (bytes 1:1 to UTF-16 code units, as the keyspace
 * holds keys). Values of up to SMALL_VALUE bytes are kept as latin1 strings
 * too — a short V8 string costs ~24 bytes where a Buffer costs ~100 — and
 * longer ones as Buffers; readers get `string | Buffer` and reply with the
 * matching writer call, never converting.
 *
 * A Map keeps insertion order, which is exactly the order of a Redis
 * listpack-encoded hash (new fields appended, updates in place, deletions
 * closing the gap), so HGETALL of a small hash matches Redis byte for byte.
 *
 * Invariants: `ttl` is null or holds only fields present in `map`, each with
 * an absolute unix-ms expiry; `ht` (hashtable encoding) never goes back to
 * false, as in Redis.
 *
 * No network or command imports.
 */

/** Values up to this many bytes are stored as latin1 strings. */
const SMALL_VALUE = 64;

export type FieldValue = string | Buffer;

const toStored = (v: Buffer): FieldValue => (v.length <= SMALL_VALUE ? v.toString('latin1') : v);

/** Length in bytes of a stored value. */
export const valueLength = (v: FieldValue): number => v.length;

/** A stored value as a Buffer (copies a string; returns a Buffer as is). */
export const valueBuffer = (v: FieldValue): Buffer => (typeof v === 'string' ? Buffer.from(v, 'latin1') : v);

export class HashValue {
  readonly kind = 'hash';
  /** Field (latin1) → value. */
  readonly map = new Map<string, FieldValue>();
  /** Field → absolute expiry (unix ms), for fields with a TTL; null when none has one. */
  ttl: Map<string, number> | null = null;
  /** Redis's encoding: false = listpack, true = hashtable. */
  private ht = false;
  /**
   * listpackex: a listpack hash that has been given field TTLs (HEXPIRE and
   * friends convert it, even when no field ends up with one, and it never
   * converts back). Its fields are ordered as Redis's listpackEx keeps them:
   * fields with a TTL first, by ascending expiry, then the others in
   * insertion order (see placeTtl).
   */
  private ex = false;
  /** Running total of entryCost over `map` (so memoryUsage is O(1): used_memory re-measures written keys often). */
  private bytes = 0;
  /** Fields deleted so far (HSCAN cursors carry it to make up for the shift a deletion causes). */
  private removals = 0;
  /** A live iterator for the HSCAN cursor it is at (continuing a scan is then O(count)). */
  private scanIter: { cursor: number; pos: number; it: IterableIterator<string> } | null = null;

  get encoding(): string {
    if (this.ht) return 'hashtable';
    return this.ex ? 'listpackex' : 'listpack';
  }

  get isHashtable(): boolean {
    return this.ht;
  }

  get size(): number {
    return this.map.size;
  }

  get(field: string): FieldValue | undefined {
    return this.map.get(field);
  }

  has(field: string): boolean {
    return this.map.has(field);
  }

  /**
   * Sets a field; returns true when it is new. Clears the field's TTL unless
   * keepTtl (HINCRBY and HINCRBYFLOAT keep it, HSET does not).
   */
  set(field: string, value: Buffer, keepTtl = false): boolean {
    const old = this.map.get(field);
    const isNew = old === undefined;
    if (!isNew) this.bytes -= entryCost(field, old);
    if (!keepTtl && !isNew && this.ttl !== null && this.ttl.has(field)) {
      // Losing its TTL moves the field after the others, as listpackExUpdateExpiry does.
      this.clearTtl(field);
      this.map.delete(field);
    }
    const stored = toStored(value);
    this.map.set(field, stored);
    this.bytes += entryCost(field, stored);
    return isNew;
  }

  /** Removes a field; true if it existed. */
  delete(field: string): boolean {
    const old = this.map.get(field);
    if (old === undefined) return false;
    this.map.delete(field);
    this.bytes -= entryCost(field, old);
    this.removals++;
    if (this.ttl !== null) this.clearTtl(field);
    return true;
  }

  private clearTtl(field: string): void {
    this.ttl!.delete(field);
    if (this.ttl!.size === 0) this.ttl = null;
  }

  // ---- field expiry ------------------------------------------------------------

  getTtl(field: string): number | undefined {
    return this.ttl?.get(field);
  }

  /** Gives a present field a TTL (absolute unix ms), keeping listpackex order. */
  setTtl(field: string, at: number): void {
    (this.ttl ??= new Map()).set(field, at);
    if (!this.ht) this.placeTtl(field, at);
  }

  /**
   * Moves `field` to where listpackExAddInternal inserts a field expiring at
   * `at`: before the first other field that has no TTL or expires at or
   * after `at`. O(n), only for (small) listpack-encoded hashes.
   */
  private placeTtl(field: string, at: number): void {
    const v = this.map.get(field)!;
    const entries = [...this.map];
    this.map.clear();
    let placed = false;
    for (const [f, fv] of entries) {
      if (f === field) continue;
      if (!placed) {
        const t = this.ttl!.get(f);
        if (t === undefined || t >= at) {
          this.map.set(field, v);
          placed = true;
        }
      }
      this.map.set(f, fv);
    }
    if (!placed) this.map.set(field, v);
  }

  /** Marks a listpack hash as listpackex (HEXPIRE and friends on an existing hash). */
  markVolatile(): void {
    if (!this.ht) this.ex = true;
  }

  /** Removes a field's TTL; true if it had one. The field moves after the others (listpackex order). */
  persist(field: string): boolean {
    if (this.ttl === null || !this.ttl.has(field)) return false;
    this.clearTtl(field);
    const v = this.map.get(field)!;
    this.map.delete(field);
    this.map.set(field, v);
    return true;
  }

  /** Is the field present with a TTL at or before `now`? */
  isExpired(field: string, now: number): boolean {
    if (this.ttl === null) return false;
    const at = this.ttl.get(field);
    return at !== undefined && at < now;
  }

  /** Fields whose TTL is before `now`, in ascending expiry order (at most `limit`). */
  expiredFields(now: number, limit = Infinity): string[] {
    if (this.ttl === null) return [];
    const out: [string, number][] = [];
    for (const [f, at] of this.ttl) if (at < now) out.push([f, at]);
    out.sort((a, b) => a[1] - b[1]);
    return out.slice(0, limit).map((e) => e[0]);
  }

  /** The earliest field expiry, or undefined. */
  minTtl(): number | undefined {
    if (this.ttl === null) return undefined;
    let min = Infinity;
    for (const at of this.ttl.values()) if (at < min) min = at;
    return min;
  }

  // ---- encoding (t_hash.c hashTypeTryConversion / hashTypeSet) ---------------

  /**
   * Before setting fields from argv[start..end] (field, value, ...): converts
   * to hashtable when more fields are set at once than max-entries allows, or
   * when any argument is longer than max-value.
   */
  tryConversion(argv: Buffer[], start: number, end: number, maxEntries: number, maxValue: number): void {
    if (this.ht) return;
    if ((end - start + 1) / 2 > maxEntries) {
      this.ht = true;
      return;
    }
    for (let i = start; i <= end; i++) {
      if (argv[i].length > maxValue) {
        this.ht = true;
        return;
      }
    }
  }

  /** After a set: hashtable once the field count passes max-entries, or a field/value is longer than max-value. */
  afterSet(fieldLen: number, valueLen: number, maxEntries: number, maxValue: number): void {
    if (this.ht) return;
    if (fieldLen > maxValue || valueLen > maxValue || this.map.size > maxEntries) this.ht = true;
  }

  /** Marks the value hashtable-encoded (COPY of one, or a loader that knows). */
  setHashtable(): void {
    this.ht = true;
  }

  // ---- HSCAN ----------------------------------------------------------------------

  /**
   * One HSCAN step over a hashtable-encoded hash: visits about `count`
   * fields after `cursor`, returns the next cursor (0 when done).
   *
   * The cursor is pos * 2^20 + (removals mod 2^20), pos being how many fields
   * of the iteration order were passed. A Map iterator is live (it skips
   * deleted fields and reaches added ones), so continuing from the cached
   * iterator guarantees every field present throughout is returned. Another
   * cursor restarts at pos, moved back by the deletions since it was issued,
   * so deletions cannot make it skip fields (it may repeat some, as SCAN may).
   */
  scan(cursor: number, count: number, visit: (field: string) => void): number {
    let it: IterableIterator<string>;
    let pos: number;
    if (this.scanIter !== null && this.scanIter.cursor === cursor && cursor !== 0) {
      it = this.scanIter.it;
      pos = this.scanIter.pos;
    } else {
      pos = Math.floor(cursor / 1048576);
      const issuedRemovals = cursor % 1048576;
      const since = (this.removals - issuedRemovals + 1048576 * 4) % 1048576;
      pos = Math.max(0, pos - since);
      it = this.map.keys();
      for (let k = 0; k < pos; k++) if (it.next().done) break;
    }
    for (let n = 0; n < count; n++) {
      const r = it.next();
      if (r.done) {
        this.scanIter = null;
        return 0;
      }
      pos++;
      visit(r.value);
    }
    const next = pos * 1048576 + (this.removals % 1048576);
    this.scanIter = { cursor: next, pos, it };
    return next;
  }

  // ---- whole value -------------------------------------------------------------------

  /** Approximate bytes held: Map entries, field strings, values, TTL entries. O(1). */
  memoryUsage(): number {
    return 64 + this.bytes + (this.ttl === null ? 0 : 40 * this.ttl.size);
  }

  clone(): HashValue {
    const h = new HashValue();
    for (const [f, v] of this.map) h.map.set(f, typeof v === 'string' ? v : Buffer.from(v));
    if (this.ttl !== null) h.ttl = new Map(this.ttl);
    h.ht = this.ht;
    h.ex = this.ex;
    h.bytes = this.bytes;
    return h;
  }

  /**
   * The commands that rebuild this hash (AOF rewrite), as Redis's
   * rewriteHashObject: HMSET with up to 64 pairs each; when some field has
   * a TTL, one HMSET per field, each TTL field followed by
   * HPEXPIREAT key ms FIELDS 1 field.
   */
  *rewrite(key: Buffer): Generator<Buffer[]> {
    if (this.ttl === null) {
      let cmd: Buffer[] = [HMSET, key];
      for (const [f, v] of this.map) {
        cmd.push(Buffer.from(f, 'latin1'), valueBuffer(v));
        if (cmd.length === 2 + 2 * ITEMS_PER_CMD) {
          yield cmd;
          cmd = [HMSET, key];
        }
      }
      if (cmd.length > 2) yield cmd;
      return;
    }
    for (const [f, v] of this.map) {
      const fb = Buffer.from(f, 'latin1');
      yield [HMSET, key, fb, valueBuffer(v)];
      const at = this.ttl.get(f);
      if (at !== undefined) yield [HPEXPIREAT, key, Buffer.from(String(at)), FIELDS, ONE, fb];
    }
  }
}

/** What one field costs: a Map entry, the field string and the value (a short string or a Buffer). */
function entryCost(f: string, v: FieldValue): number {
  return 32 + stringBytes(f.length) + (typeof v === 'string' ? stringBytes(v.length) : 96 + v.length);
}

/** V8 heap bytes of a one-byte string of n characters (header + payload, 8-aligned). */
function stringBytes(n: number): number {
  return 16 + ((n + 7) & ~7);
}

const HMSET = Buffer.from('HMSET');
const HPEXPIREAT = Buffer.from('HPEXPIREAT');
const FIELDS = Buffer.from('FIELDS');
const ONE = Buffer.from('1');
/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const ITEMS_PER_CMD = 64;
