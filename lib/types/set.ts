/**
 * The set: members (latin1 strings, one char per byte) in an array with a
 * member → index map, so add, remove, membership and a uniformly random
 * member are all O(1).
 *
 * It also tracks the encoding Redis would use (OBJECT ENCODING), which
 * decides the order in which Redis lists small sets, so rivulet lists them
 * the same way:
 * - `intset`: every member is a 64-bit integer in canonical form and there
 *   are at most set-max-intset-entries of them. Listed in ascending numeric
 *   order.
 * - `listpack` (Redis 7.2+): at most set-max-listpack-entries members of at
 *   most set-max-listpack-value bytes. Listed in insertion order (removal
 *   keeps the order of the rest).
 * - `hashtable`: anything bigger. Listed in no particular order.
 * Conversions only go intset → listpack → hashtable (or intset → hashtable),
 * never back, as in Redis.
 *
 * Invariants: `index.get(members[i]) === i` for every i; no duplicates; for
 * `listpack`, `members` is in insertion order (removal splices).
 *
 * No network or command imports.
 */

export type SetEncoding = 'intset' | 'listpack' | 'hashtable';

/** The thresholds in force when a set is written (from the config). */
export interface SetLimits {
  intsetEntries: number;
  listpackEntries: number;
  listpackValue: number;
}

const SADD = Buffer.from('SADD');
/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
const REWRITE_BATCH = 64;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** Would Redis store this member in an intset (string2ll: canonical signed 64-bit integer)? */
export function isIntMember(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return false;
    i = 1;
  }
  if (s.charCodeAt(i) === 48) return n === 1; // "0" only; "-0" and leading zeros are not integers
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  if (n - i < 19) return true;
  const b = BigInt(s);
  return b >= INT64_MIN && b <= INT64_MAX;
}

/** The intset width (bytes) an integer member needs: _intsetValueEncoding. */
function intWidth(m: string): 2 | 4 | 8 {
  if (m.length <= 4) return 2; // |v| <= 9999
  if (m.length > 11) return 8;
  const v = Number(m);
  if (v >= -32768 && v <= 32767) return 2;
  if (v >= -2147483648 && v <= 2147483647) return 4;
  return 8;
}

/** Numeric order of two integer members. */
function compareInts(a: string, b: string): number {
  if (a.length < 16 && b.length < 16) return Number(a) - Number(b);
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Decimal digits of the widest integer in the set, as Redis's sdigits10 of the intset's min and max. */
function maxIntDigits(members: string[]): number {
  let m = 0;
  for (const s of members) if (s.length > m) m = s.length;
  return m;
}

export class RSet {
  readonly kind = 'set';
  private members: string[] = [];
  private readonly index = new Map<string, number>();
  private enc: SetEncoding;
  /** Ascending copy of `members` while intset-encoded (rebuilt lazily). */
  private sorted: string[] | null = null;
  private memberBytes = 0;
  /**
   * While intset-encoded: the byte width of its integers (2, 4 or 8). An
   * intset widens to fit a new member and never narrows again (removing
   * the big member keeps the width), which shows in its RDB bytes.
   */
  private width: 2 | 4 | 8 = 2;

  /**
   * An empty set with the encoding Redis's setTypeCreate picks for a set
   * about to receive `sizeHint` members, the first being `first`.
   */
  constructor(first: string | null, sizeHint: number, limits: SetLimits) {
    if (first !== null && isIntMember(first) && sizeHint <= limits.intsetEntries) this.enc = 'intset';
    else if (sizeHint <= limits.listpackEntries) this.enc = 'listpack';
    else this.enc = 'hashtable';
  }

  get encoding(): SetEncoding {
    return this.enc;
  }

  /** The intset's integer width in bytes (2, 4 or 8; meaningful while intset-encoded). */
  get intsetWidth(): 2 | 4 | 8 {
    return this.width;
  }

  /**
   * A set holding exactly `members` (distinct: the caller checks) in the
   * given encoding and storage order, as an RDB load builds it. `width`
   * is the intset width the file recorded.
   */
  static restore(enc: SetEncoding, members: string[], width: 2 | 4 | 8 = 2): RSet {
    const s = new RSet(null, Infinity, { intsetEntries: 0, listpackEntries: 0, listpackValue: 0 });
    s.enc = enc;
    s.width = width;
    s.reorder(members);
    for (const m of members) s.memberBytes += m.length;
    return s;
  }

  /** An intset rebuilt from its members (SPOP's CASE 3): the width goes back to what they need. O(n). */
  narrowIntset(): void {
    if (this.enc !== 'intset') return;
    let w: 2 | 4 | 8 = 2;
    for (const m of this.members) if (w < 8) w = Math.max(w, intWidth(m)) as 2 | 4 | 8;
    this.width = w;
  }

  /** Converts to a hashtable (a load past the thresholds). */
  toHashtable(): void {
    this.enc = 'hashtable';
  }

  get size(): number {
    return this.members.length;
  }

  has(m: string): boolean {
    return this.index.has(m);
  }

  /**
   * Adds a member, converting the encoding as Redis's setTypeAdd does.
   * Returns false when it was already there. O(1) (O(n) on a conversion).
   */
  add(m: string, limits: SetLimits): boolean {
    if (this.index.has(m)) return false;
    const n = this.members.length;
    if (this.enc === 'intset') {
      if (isIntMember(m)) {
        if (n + 1 > Math.min(limits.intsetEntries, 1 << 30)) this.enc = 'hashtable';
        else this.width = Math.max(this.width, intWidth(m)) as 2 | 4 | 8;
      } else {
        const digits = maxIntDigits(this.members);
        if (n < limits.listpackEntries && m.length <= limits.listpackValue && digits <= limits.listpackValue) {
          // The intset's members move over in ascending order, then the new one is appended.
          this.reorder(this.list());
          this.enc = 'listpack';
        } else {
          this.enc = 'hashtable';
        }
      }
    } else if (this.enc === 'listpack') {
      if (!(n < limits.listpackEntries && m.length <= limits.listpackValue)) this.enc = 'hashtable';
    }
    this.index.set(m, n);
    this.members.push(m);
    this.sorted = null;
    this.memberBytes += m.length;
    return true;
  }

  /**
   * Before adding `sizeHint` members to an existing set (SADD): a set that
   * may outgrow its compact encoding becomes a hashtable at once, as Redis's
   * setTypeMaybeConvert does.
   */
  reserve(sizeHint: number, limits: SetLimits): void {
    if ((this.enc === 'listpack' && sizeHint > limits.listpackEntries) || (this.enc === 'intset' && sizeHint > limits.intsetEntries)) {
      this.enc = 'hashtable';
    }
  }

  private reorder(order: string[]): void {
    this.members = order.slice();
    for (let i = 0; i < order.length; i++) this.index.set(order[i], i);
  }

  /** Removes a member; false if absent. O(1) (O(n) for listpack, which keeps its order). */
  delete(m: string): boolean {
    const i = this.index.get(m);
    if (i === undefined) return false;
    this.index.delete(m);
    this.memberBytes -= m.length;
    this.sorted = null;
    const last = this.members.length - 1;
    if (this.enc === 'listpack') {
      this.members.splice(i, 1);
      for (let j = i; j < last; j++) this.index.set(this.members[j], j);
    } else {
      if (i !== last) {
        const moved = this.members[last];
        this.members[i] = moved;
        this.index.set(moved, i);
      }
      this.members.pop();
    }
    return true;
  }

  /** A uniformly random member (the set must not be empty). O(1). */
  random(): string {
    return this.members[Math.floor(Math.random() * this.members.length)];
  }

  /** The member at position i of the storage order (0 ≤ i < size). */
  atStorage(i: number): string {
    return this.members[i];
  }

  /**
   * The members in the order Redis lists them: ascending for intset,
   * insertion order for listpack, storage order for hashtable. The array
   * must not be modified; it is valid until the next write.
   */
  list(): string[] {
    if (this.enc !== 'intset') return this.members;
    this.sorted ??= this.members.slice().sort(compareInts);
    return this.sorted;
  }

  /** SADD commands of up to 64 members each (Redis's AOF_REWRITE_ITEMS_PER_CMD), for BGREWRITEAOF. */
  rewrite(key: Buffer): Buffer[][] {
    const out: Buffer[][] = [];
    const list = this.list();
    for (let i = 0; i < list.length; i += REWRITE_BATCH) {
      const argv = [SADD, key];
      for (const m of list.slice(i, i + REWRITE_BATCH)) argv.push(Buffer.from(m, 'latin1'));
      out.push(argv);
    }
    return out;
  }

  clone(): RSet {
    const s = Object.create(RSet.prototype) as RSet;
    const w = s as unknown as { members: string[]; index: Map<string, number>; enc: SetEncoding; sorted: null; memberBytes: number; kind: string };
    w.kind = 'set';
    w.members = this.members.slice();
    w.index = new Map(this.index);
    w.enc = this.enc;
    w.sorted = null;
    w.memberBytes = this.memberBytes;
    (s as unknown as { width: 2 | 4 | 8 }).width = this.width;
    return s;
  }

  /** An estimate of the bytes held, for MEMORY USAGE. */
  memoryUsage(): number {
    const n = this.members.length;
    if (this.enc === 'intset') return 16 + 8 + n * 8;
    if (this.enc === 'listpack') return 16 + 7 + this.memberBytes + n * 2;
    return 64 + this.memberBytes + n * 56;
  }
}
