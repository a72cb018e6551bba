/**
 * The list value: a deque of packed chunks, O(1) push and pop at both ends.
 *
 * Elements are not kept as one Buffer each (a Buffer costs ~100 bytes of V8
 * heap, 20x a small element): they are packed into chunks, each a Buffer
 * holding consecutive entries, much like a quicklist of listpacks.
 *
 *   chunk.buf:  [ free ... | entry | entry | ... | entry | ... free ]
 *                           ^start                        ^end
 *   entry:      [len: LEB128 varint][bytes][len: LEB128 varint, bytes reversed]
 *
 * The leading length lets an entry be read forwards, the trailing one
 * (stored so that reading right to left yields the varint) backwards, so
 * both ends pop in O(1). A chunk pushed at the tail grows to the right, one
 * pushed at the head grows to the left; a chunk that runs out of room is
 * reallocated at twice the size (up to CHUNK_MAX, amortised O(1) per byte),
 * after which a new chunk is started. Middle edits (LSET, LINSERT, LREM)
 * rebuild the one chunk they touch, O(chunk size), as Redis rewrites one
 * listpack node.
 *
 * Invariants: no chunk is empty; `length` is the sum of chunk counts;
 * `lpBytes` is the size Redis's listpack of the same elements would have
 * (header, entries, terminator), which decides OBJECT ENCODING.
 *
 * No network or command imports (data types stand alone).
 */
import { exceedsLimit, LP_EMPTY_BYTES, lpEntrySize, nodeLimit } from './listpack.js';

/** A chunk stops growing at this many bytes (a larger single element gets a chunk of its own size). */
const CHUNK_MAX = 8192;
/** The first allocation of a new chunk. */
const CHUNK_MIN = 64;

interface Chunk {
  /** The backing bytes; entries live in [start, end). */
  buf: Buffer;
  start: number;
  end: number;
  /** Number of entries (> 0). */
  count: number;
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Total bytes an element of `len` bytes takes in a chunk. */
function entrySize(len: number): number {
  return len + 2 * varintSize(len);
}

/** Writes an entry at p; returns the offset after it. */
function writeEntry(buf: Buffer, p: number, src: Buffer, sOff: number, len: number): number {
  let n = len;
  while (n >= 0x80) {
    buf[p++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[p++] = n;
  if (len < 32) for (let i = 0; i < len; i++) buf[p + i] = src[sOff + i];
  else src.copy(buf, p, sOff, sOff + len);
  p += len;
  // Trailing length: the varint bytes in reverse, so that buf[end-1] is its first byte.
  const vs = varintSize(len);
  n = len;
  for (let k = 0; k < vs; k++) {
    const b = n >= 0x80 ? (n & 0x7f) | 0x80 : n;
    buf[p + vs - 1 - k] = b;
    n >>>= 7;
  }
  return p + vs;
}

/** Reads the forward length at p: sets rdLen and returns the data offset. */
let rdLen = 0;
function readFwd(buf: Buffer, p: number): number {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = buf[p++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
  }
  rdLen = v;
  return p;
}

/** Reads the backward length of the entry ending at `end`: sets rdLen and returns the data offset. */
function readBack(buf: Buffer, end: number): number {
  let v = 0;
  let shift = 0;
  let p = end - 1;
  for (;;) {
    const b = buf[p];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
    shift += 7;
    p--;
  }
  rdLen = v;
  return p - v;
}

function newChunk(cap: number): Chunk {
  return { buf: Buffer.allocUnsafeSlow(cap), start: 0, end: 0, count: 0 };
}

/** A visitor of elements as byte ranges (no copy): return false to stop. */
export type ElementVisitor = (buf: Buffer, off: number, len: number) => boolean | void;

export class PackedList {
  readonly kind = 'list';
  private chunks: Chunk[] = [];
  /** Number of elements. */
  length = 0;
  /** Bytes of the equivalent Redis listpack (see listpack.ts). */
  lpBytes = LP_EMPTY_BYTES;
  /** Redis's encoding: false = listpack, true = quicklist. Changes only through the conversion methods. */
  private quick = false;

  get encoding(): string {
    return this.quick ? 'quicklist' : 'listpack';
  }

  // ---- encoding (t_list.c listTypeTryConversion*) ------------------------

  /** Before adding elements of `addBytes` raw bytes in total, `addCount` of them: listpack → quicklist when over the fill. */
  growing(fill: number, addBytes: number, addCount: number): void {
    if (!this.quick && exceedsLimit(fill, this.lpBytes + addBytes, this.length + addCount)) this.quick = true;
  }

  /**
   * After removing elements: quicklist → listpack when what is left is below
   * half the limit (Redis also requires a single quicklist node, which a list
   * this small has in the common case).
   */
  shrinking(fill: number): void {
    if (!this.quick) return;
    const lim = nodeLimit(fill);
    if (this.lpBytes > lim.bytes / 2 || this.length > lim.count / 2) return;
    this.quick = false;
  }

  /** A list built from scratch (COPY keeps the source's; the AOF loader's pushes decide as pushes do). */
  setQuick(q: boolean): void {
    this.quick = q;
  }

  // ---- ends: O(1) ----------------------------------------------------------

  pushTail(v: Buffer): void {
    const need = entrySize(v.length);
    let c = this.chunks[this.chunks.length - 1];
    if (c === undefined || c.buf.length - c.end < need) c = this.roomAtTail(c, need);
    c.end = writeEntry(c.buf, c.end, v, 0, v.length);
    c.count++;
    this.length++;
    this.lpBytes += lpEntrySize(v, 0, v.length);
  }

  pushHead(v: Buffer): void {
    const need = entrySize(v.length);
    let c = this.chunks[0];
    if (c === undefined || c.start < need) c = this.roomAtHead(c, need);
    const at = c.start - need;
    writeEntry(c.buf, at, v, 0, v.length);
    c.start = at;
    c.count++;
    this.length++;
    this.lpBytes += lpEntrySize(v, 0, v.length);
  }

  /** The tail chunk with `need` free bytes after its end: grown in place (copied) or a new chunk. */
  private roomAtTail(c: Chunk | undefined, need: number): Chunk {
    if (c !== undefined) {
      const used = c.end - c.start;
      if (used + need <= CHUNK_MAX) {
        const cap = Math.min(CHUNK_MAX, Math.max(c.buf.length * 2, used + need));
        const buf = Buffer.allocUnsafeSlow(cap);
        c.buf.copy(buf, 0, c.start, c.end);
        c.buf = buf;
        c.start = 0;
        c.end = used;
        return c;
      }
    }
    const n = newChunk(Math.max(CHUNK_MIN, need));
    this.chunks.push(n);
    return n;
  }

  private roomAtHead(c: Chunk | undefined, need: number): Chunk {
    if (c !== undefined) {
      const used = c.end - c.start;
      if (used + need <= CHUNK_MAX) {
        const cap = Math.min(CHUNK_MAX, Math.max(c.buf.length * 2, used + need));
        const buf = Buffer.allocUnsafeSlow(cap);
        c.buf.copy(buf, cap - used, c.start, c.end);
        c.buf = buf;
        c.start = cap - used;
        c.end = cap;
        return c;
      }
    }
    const cap = Math.max(CHUNK_MIN, need);
    const n = newChunk(cap);
    n.start = n.end = cap;
    this.chunks.unshift(n);
    return n;
  }

  /** Removes and returns the first element (a Buffer of its own), or undefined when empty. */
  popHead(): Buffer | undefined {
    const c = this.chunks[0];
    if (c === undefined) return undefined;
    const data = readFwd(c.buf, c.start);
    const len = rdLen;
    const out = Buffer.from(c.buf.subarray(data, data + len));
    c.start = data + len + varintSize(len);
    this.removedOne(c, 0, out, 0, len);
    return out;
  }

  popTail(): Buffer | undefined {
    const i = this.chunks.length - 1;
    const c = this.chunks[i];
    if (c === undefined) return undefined;
    const data = readBack(c.buf, c.end);
    const len = rdLen;
    const out = Buffer.from(c.buf.subarray(data, data + len));
    c.end = data - varintSize(len);
    this.removedOne(c, i, out, 0, len);
    return out;
  }

  private removedOne(c: Chunk, i: number, v: Buffer, off: number, len: number): void {
    c.count--;
    this.length--;
    this.lpBytes -= lpEntrySize(v, off, len);
    if (c.count === 0) this.chunks.splice(i, 1);
  }

  /** Removes n elements from the head (LTRIM, counted pops). O(n). */
  dropHead(n: number): void {
    while (n > 0) {
      const c = this.chunks[0];
      if (c === undefined) return;
      if (c.count <= n) {
        n -= c.count;
        this.length -= c.count;
        this.forChunk(c, (b, o, l) => {
          this.lpBytes -= lpEntrySize(b, o, l);
        });
        this.chunks.shift();
        continue;
      }
      for (; n > 0; n--) {
        const data = readFwd(c.buf, c.start);
        const len = rdLen;
        this.lpBytes -= lpEntrySize(c.buf, data, len);
        c.start = data + len + varintSize(len);
        c.count--;
        this.length--;
      }
    }
  }

  /** Removes n elements from the tail. O(n). */
  dropTail(n: number): void {
    while (n > 0) {
      const i = this.chunks.length - 1;
      const c = this.chunks[i];
      if (c === undefined) return;
      if (c.count <= n) {
        n -= c.count;
        this.length -= c.count;
        this.forChunk(c, (b, o, l) => {
          this.lpBytes -= lpEntrySize(b, o, l);
        });
        this.chunks.pop();
        continue;
      }
      for (; n > 0; n--) {
        const data = readBack(c.buf, c.end);
        const len = rdLen;
        this.lpBytes -= lpEntrySize(c.buf, data, len);
        c.end = data - varintSize(len);
        c.count--;
        this.length--;
      }
    }
  }

  // ---- reading --------------------------------------------------------------

  private forChunk(c: Chunk, fn: (buf: Buffer, off: number, len: number) => void): void {
    let p = c.start;
    while (p < c.end) {
      const data = readFwd(c.buf, p);
      const len = rdLen;
      fn(c.buf, data, len);
      p = data + len + varintSize(len);
    }
  }

  /**
   * Visits `n` elements starting at index `from` (0-based, in range), towards
   * the tail, or towards the head when `reverse`. The visitor sees byte ranges
   * of the chunk (valid only during the call). O(position + n).
   */
  visit(from: number, n: number, reverse: boolean, fn: ElementVisitor): void {
    if (n <= 0 || from < 0 || from >= this.length) return;
    let { ci, p } = this.locate(from);
    const chunks = this.chunks;
    let c = chunks[ci];
    if (reverse) {
      // Reverse visits start from the entry's end.
      const d = readFwd(c.buf, p);
      p = d + rdLen + varintSize(rdLen);
    }
    while (n > 0) {
      if (!reverse) {
        if (p >= c.end) {
          c = chunks[++ci];
          if (c === undefined) return;
          p = c.start;
        }
        const data = readFwd(c.buf, p);
        const len = rdLen;
        p = data + len + varintSize(len);
        if (fn(c.buf, data, len) === false) return;
      } else {
        // In reverse, p is the end of the entry to visit.
        if (p <= c.start) {
          c = chunks[--ci];
          if (c === undefined) return;
          p = c.end;
        }
        const data = readBack(c.buf, p);
        const len = rdLen;
        p = data - varintSize(len);
        if (fn(c.buf, data, len) === false) return;
      }
      n--;
    }
  }

  /** Chunk index and byte offset of the start of element `i` (in range). */
  private locate(i: number): { ci: number; p: number } {
    const chunks = this.chunks;
    let ci: number;
    let rel: number;
    if (i < this.length / 2) {
      ci = 0;
      rel = i;
      while (rel >= chunks[ci].count) rel -= chunks[ci++].count;
    } else {
      ci = chunks.length - 1;
      rel = this.length - 1 - i; // distance from the tail
      while (rel >= chunks[ci].count) rel -= chunks[ci--].count;
      rel = chunks[ci].count - 1 - rel;
    }
    return { ci, p: this.offsetIn(chunks[ci], rel) };
  }

  /** Byte offset of the rel-th entry of a chunk, scanning from the nearer end. */
  private offsetIn(c: Chunk, rel: number): number {
    if (rel <= c.count / 2) {
      let p = c.start;
      for (let k = 0; k < rel; k++) {
        const data = readFwd(c.buf, p);
        p = data + rdLen + varintSize(rdLen);
      }
      return p;
    }
    let p = c.end;
    for (let k = c.count - 1; k >= rel; k--) {
      const data = readBack(c.buf, p);
      p = data - varintSize(rdLen);
    }
    return p;
  }

  /** Element i as its own Buffer, or undefined when out of range. Negative i counts from the tail. */
  at(i: number): Buffer | undefined {
    if (i < 0) i += this.length;
    if (i < 0 || i >= this.length) return undefined;
    let out: Buffer | undefined;
    this.visit(i, 1, false, (b, o, l) => {
      out = Buffer.from(b.subarray(o, o + l));
    });
    return out;
  }

  /** All elements as Buffers, head to tail (tests, small lists). */
  toArray(): Buffer[] {
    const out: Buffer[] = [];
    for (const c of this.chunks) this.forChunk(c, (b, o, l) => out.push(Buffer.from(b.subarray(o, o + l))));
    return out;
  }

  // ---- middle edits: rebuild the touched chunk --------------------------------

  /** The elements of chunk ci as views (valid until the chunk is replaced). */
  private entriesOf(ci: number): Buffer[] {
    const out: Buffer[] = [];
    this.forChunk(this.chunks[ci], (b, o, l) => out.push(b.subarray(o, o + l)));
    return out;
  }

  /** Replaces chunk ci by chunks holding `items` (split at CHUNK_MAX); removes it when items is empty. */
  private rebuild(ci: number, items: Buffer[]): void {
    const built: Chunk[] = [];
    let i = 0;
    while (i < items.length) {
      let size = 0;
      let j = i;
      while (j < items.length) {
        const s = entrySize(items[j].length);
        if (j > i && size + s > CHUNK_MAX) break;
        size += s;
        j++;
      }
      const c = newChunk(size);
      for (let k = i; k < j; k++) c.end = writeEntry(c.buf, c.end, items[k], 0, items[k].length);
      c.count = j - i;
      built.push(c);
      i = j;
    }
    this.chunks.splice(ci, 1, ...built);
  }

  /** Chunk index and position within it of element i (in range). */
  private chunkOf(i: number): { ci: number; rel: number } {
    let ci = 0;
    let rel = i;
    while (rel >= this.chunks[ci].count) rel -= this.chunks[ci++].count;
    return { ci, rel };
  }

  /** LSET: replaces element i (negative from the tail); false when out of range. */
  set(i: number, v: Buffer): boolean {
    if (i < 0) i += this.length;
    if (i < 0 || i >= this.length) return false;
    const { ci, rel } = this.chunkOf(i);
    const items = this.entriesOf(ci);
    this.lpBytes += lpEntrySize(v, 0, v.length) - lpEntrySize(items[rel], 0, items[rel].length);
    items[rel] = v;
    this.rebuild(ci, items);
    return true;
  }

  /** Inserts v so that it becomes element i (0 ≤ i ≤ length). */
  insert(i: number, v: Buffer): void {
    if (i === 0) return this.pushHead(v);
    if (i === this.length) return this.pushTail(v);
    // Insert after element i-1, in its chunk.
    const { ci, rel } = this.chunkOf(i - 1);
    const items = this.entriesOf(ci);
    items.splice(rel + 1, 0, v);
    this.rebuild(ci, items);
    this.length++;
    this.lpBytes += lpEntrySize(v, 0, v.length);
  }

  /** Index of the first element equal to `v` from the head, or -1. */
  indexOf(v: Buffer): number {
    let idx = 0;
    let found = -1;
    for (const c of this.chunks) {
      this.forChunk(c, (b, o, l) => {
        if (found === -1 && l === v.length && b.compare(v, 0, l, o, o + l) === 0) found = idx;
        idx++;
      });
      if (found !== -1) return found;
    }
    return -1;
  }

  /**
   * LREM: removes up to `limit` elements equal to v (0 = all), scanning from
   * the head, or from the tail when `fromTail`. Returns how many were removed.
   */
  remove(v: Buffer, limit: number, fromTail: boolean): number {
    let removed = 0;
    const n = this.chunks.length;
    for (let step = 0; step < n; step++) {
      if (limit !== 0 && removed === limit) break;
      const ci = fromTail ? n - 1 - step : step;
      const items = this.entriesOf(ci);
      const keep: boolean[] = new Array(items.length).fill(true);
      let hits = 0;
      for (let k = 0; k < items.length; k++) {
        const idx = fromTail ? items.length - 1 - k : k;
        if (limit !== 0 && removed + hits === limit) break;
        if (items[idx].equals(v)) {
          keep[idx] = false;
          hits++;
        }
      }
      if (hits === 0) continue;
      removed += hits;
      this.length -= hits;
      this.lpBytes -= hits * lpEntrySize(v, 0, v.length);
      // Rebuilding replaces chunk ci only: indexes of the chunks still to visit
      // shift when it splits or vanishes, so rebuild in place after the scan.
      pendingRebuilds.push({ ci, items: items.filter((_, k) => keep[k]) });
    }
    // Apply from the highest index so earlier indexes stay valid.
    pendingRebuilds.sort((a, b) => b.ci - a.ci);
    for (const r of pendingRebuilds) this.rebuild(r.ci, r.items);
    pendingRebuilds.length = 0;
    return removed;
  }

  // ---- whole value ------------------------------------------------------------

  /** Bytes this list holds: chunk buffers plus per-chunk and per-object overhead. */
  memoryUsage(): number {
    let n = 48 + 8 * this.chunks.length;
    for (const c of this.chunks) n += c.buf.length + 64;
    return n;
  }

  clone(): PackedList {
    const l = new PackedList();
    for (const c of this.chunks) {
      const used = c.end - c.start;
      const buf = Buffer.allocUnsafeSlow(used);
      c.buf.copy(buf, 0, c.start, c.end);
      l.chunks.push({ buf, start: 0, end: used, count: c.count });
    }
    l.length = this.length;
    l.lpBytes = this.lpBytes;
    l.quick = this.quick;
    return l;
  }

  /** The commands that rebuild this list (AOF rewrite): RPUSH with up to 64 elements each, as Redis's rewriteListObject. */
  *rewrite(key: Buffer): Generator<Buffer[]> {
    let cmd: Buffer[] = [RPUSH, key];
    for (let i = 0; i < this.length; i += ITEMS_PER_CMD) {
      this.visit(i, ITEMS_PER_CMD, false, (b, o, l) => {
        cmd.push(Buffer.from(b.subarray(o, o + l)));
      });
      yield cmd;
      cmd = [RPUSH, key];
    }
  }
}

const RPUSH = Buffer.from('RPUSH');
/** Redis's AOF_REWRITE_ITEMS_PER_CMD. */
export const ITEMS_PER_CMD = 64;
const pendingRebuilds: { ci: number; items: Buffer[] }[] = [];
