/**
 * The ordered ID log of a stream: Redis's radix tree of listpacks, in
 * JavaScript terms. Entries live packed in Buffers, grouped in chunks; there is
 * no JavaScript object per entry.
 *
 * Index: an array of chunks ordered by master (first) ID, with a head offset
 * so that trimming from the head is O(1) (the array is compacted when the dead
 * prefix reaches half its length). Seek is a binary search over master IDs;
 * append goes to the last chunk (O(1) amortised).
 *
 * Chunk = { ms, seq (master ID, exact U64s), live, deleted, used, buf, ... }
 *
 * buf (a sealed chunk's Buffer is exactly `used` bytes; the last chunk's may
 * have spare capacity, grown by doubling and trimmed when the chunk is sealed):
 *
 *   +--------+--------------------------------+---------+---------+-----+
 *   | nnames | nlen0 name0 nlen1 name1 ...    | entry 0 | entry 1 | ... |
 *   +--------+--------------------------------+---------+---------+-----+
 *    varint    the master entry's field names    (entry 0 is the master)
 *
 *   entry:
 *   +--------------------+-------------+-----------------------------------------+
 *   | H = dms*4 + S*2 + D | Z = zz(dseq) | S=1: vlen0 v0 vlen1 v1 ... (one value   |
 *   |      varint        |   varint    |      per master name, names not stored) |
 *   |                    |             | S=0: npairs nlen n vlen v nlen n ...    |
 *   +--------------------+-------------+-----------------------------------------+
 *
 *   dms  = ms - master.ms  (0 <= dms < 2^51, so H stays a safe integer)
 *   dseq = seq - master.seq (-2^52 <= dseq < 2^52), zz = zigzag (0,-1,1,-2 → 0,1,2,3)
 *   S    = the entry has exactly the master's field names (only values stored)
 *   D    = deleted: bit 0 of H's first byte, flipped in place (the only change
 *          ever made to bytes already written)
 *   varint = unsigned LEB128, 7 bits per byte, little end first, values < 2^53.
 *
 * An entry whose deltas would not fit (IDs far apart, or near 2^64) simply
 * starts a new chunk, so no BigInt arithmetic is done on chunk contents. A
 * chunk is "small" when its master and all its IDs are plain numbers; only
 * chunks that are not (IDs above 2^53) decode IDs through BigInt.
 *
 * Deletion sets D and counts; a chunk left with no live entries is removed
 * from the index, as Redis removes empty nodes.
 *
 * Field Buffers handed out (get, range) are subarray views of chunk buffers.
 * They stay valid for ever: bytes once written never change (apart from D),
 * and buffers are never reused — growth and sealing copy into new ones.
 */

import { type StreamId, type U64, compareIds, u64 } from './id.js';
import { lpIntSize, lpStringSize, lpStringSizeAt, LP_HDR_SIZE } from '../rdb/listpack.js';

export interface ChunkLimits {
  maxEntries: number;
  maxBytes: number;
}

/** fields alternate name, value (subarray views). Return false to stop. Must not modify the log. */
export type EntryVisitor = (id: StreamId, fields: Buffer[]) => boolean;

/** As EntryVisitor, with the ID's halves and the entry's bytes in place (valid only during the call). */
export type RawEntryVisitor = (ms: U64, seq: U64, entry: EntryCursor) => boolean;

/** Where EntryCursor.writeTo sends an entry's names and values: each is buf[start, end). */
export interface FieldSink {
  bulkBytes(buf: Buffer, start: number, end: number): void;
}

const FLAG_DELETED = 1;
const FLAG_SAME = 2;
/** Largest ms delta: H = dms*4 + 3 must stay a safe integer. */
const MAX_DMS = 2 ** 51 - 1;
/** seq delta must satisfy -SEQ_LIM <= dseq < SEQ_LIM so that zigzag(dseq) <= 2^53 - 1. */
const SEQ_LIM = 2 ** 52;
const MAX_DMS_BIG = BigInt(MAX_DMS);
const SEQ_LIM_BIG = BigInt(SEQ_LIM);
/** stream-node-max-bytes 0 (or huge) means this, as STREAM_LISTPACK_MAX_SIZE in Redis. */
const MAX_CHUNK_BYTES = 2 ** 30;
const MIN_CAPACITY = 64;
/**
 * Approximate cost of one chunk besides its bytes: the Chunk object, the
 * Buffer/ArrayBuffer objects, backing-store bookkeeping, its index slot.
 * Calibrated on Node 20 (V8 heap + arrayBuffers delta, 1M `f v` entries).
 */
const CHUNK_OVERHEAD = 384;
const LOG_OVERHEAD = 96;

// ---------------------------------------------------------------------------
// Varints (unsigned LEB128, values up to 2^53 - 1)

/** Position after the last varint read by readVar (module scratch: no tuple allocation). */
let rpos = 0;

function readVar(buf: Buffer, p: number): number {
  let b = buf[p++];
  if (b < 0x80) {
    rpos = p;
    return b;
  }
  let v = b & 0x7f;
  let mul = 0x80;
  for (;;) {
    b = buf[p++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 0x80;
  }
  rpos = p;
  return v;
}

function writeVar(buf: Buffer, p: number, v: number): number {
  while (v >= 0x80000000) {
    buf[p++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  while (v >= 0x80) {
    buf[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[p++] = v;
  return p;
}

function varLen(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 4;
  v = Math.floor(v / 0x10000000);
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n + 1;
}

/** Exported for tests. */
export const varint = { read: (buf: Buffer, p: number): [number, number] => [readVar(buf, p), rpos], write: writeVar, len: varLen };

// ---------------------------------------------------------------------------
// Chunks

class Chunk {
  /** Entry bytes; may have spare capacity while this is the last chunk. */
  buf: Buffer;
  /** Bytes in use. */
  used: number;
  live = 0;
  deleted = 0;
  /** Number of master field names, and the offset of entry 0. */
  nameCount: number;
  dataStart: number;
  /** The last stored entry (deleted or not) as deltas from the master. */
  lastDms = 0;
  lastDseq = 0;
  /** Offset of the last stored entry (its H varint, whose first byte carries D); -1 before the first. */
  lastAt = -1;
  /**
   * Size of the listpack Redis would hold for this chunk, minus the two
   * master counters (live, deleted) whose sizes change with their values:
   * see lpBytes(). New entries go to a new chunk exactly where Redis starts a
   * new listpack node, so DUMP/RDB output and XINFO's node counts match.
   */
  lpFixed = 0;

  constructor(
    readonly ms: U64,
    readonly seq: U64,
    /** master and every ID in the chunk are plain numbers */
    readonly small: boolean,
    buf: Buffer,
    nameCount: number,
    dataStart: number,
  ) {
    this.buf = buf;
    this.used = dataStart;
    this.nameCount = nameCount;
    this.dataStart = dataStart;
  }
}

/** The listpack size of a chunk as Redis's lpBytes() would report it. */
function lpBytesOf(c: Chunk): number {
  return c.lpFixed + lpIntSize(c.live) + lpIntSize(c.deleted);
}

/** lpMasterSize with the names' listpack sizes already summed (namesLp). */
function lpMasterSizeOf(nameCount: number, namesLp: number): number {
  return LP_HDR_SIZE + 1 + lpIntSize(nameCount) + lpIntSize(0) + namesLp;
}

/** lpEntrySize with the stored fields' listpack sizes already summed (fieldsLp: values only when same). */
function lpEntrySizeOf(dms: number, dseq: number, same: boolean, nf: number, fieldsLp: number): number {
  const n = 2 + lpIntSize(dms) + lpIntSize(dseq) + fieldsLp; // flags are 0..3: one byte + backlen
  return same ? n + lpIntSize(nf + 3) : n + lpIntSize(nf) + lpIntSize(nf * 2 + 4);
}

/** Listpack bytes of the master entry minus its two counters: num-fields, names, the 0 terminator, plus header and EOF. */
function lpMasterSize(names: Buffer[], nameCount: number, fields: Buffer[] | null): number {
  let n = 0;
  if (fields !== null) for (let i = 0; i < fields.length; i += 2) n += lpStringSize(fields[i]);
  else for (const f of names) n += lpStringSize(f);
  return lpMasterSizeOf(nameCount, n);
}

/**
 * Listpack bytes of one entry: flags, ms delta, seq delta, [num-fields],
 * [names] values, lp-count. `fields` alternate name, value.
 */
function lpEntrySize(dms: number, dseq: number, same: boolean, fields: Buffer[]): number {
  let n = 0;
  for (let i = same ? 1 : 0; i < fields.length; i += same ? 2 : 1) n += lpStringSize(fields[i]);
  return lpEntrySizeOf(dms, dseq, same, fields.length >>> 1, n);
}

/** Sum of the lengths of names and values (Redis's totelelen). */
function totalFieldBytes(fields: Buffer[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) n += fields[i].length;
  return n;
}

/**
 * An entry's fields packed in one buffer, as a request with very many
 * arguments arrives (lib/resp/packed.ts): field k (name, value, name, ...,
 * 0 <= k < count) is buf[ends[from + k - 1], ends[from + k]). StreamLog's
 * append takes them without making an object per field; the bytes written
 * are exactly those an equal Buffer[] would give.
 */
export interface PackedFields {
  readonly buf: Buffer;
  readonly ends: Int32Array;
  /** Index in `ends` of the first field; at least 1. */
  readonly from: number;
  /** Number of fields (even, at least 2). */
  readonly count: number;
}

function packedTotalBytes(f: PackedFields): number {
  return f.ends[f.from + f.count - 1] - f.ends[f.from - 1];
}

/** Whether the packed fields' names are chunk c's master names, in order (sameNames). */
function sameNamesPacked(c: Chunk, f: PackedFields): boolean {
  if (c.nameCount * 2 !== f.count) return false;
  const buf = c.buf;
  const { buf: src, ends } = f;
  readVar(buf, 0);
  let p = rpos;
  for (let i = f.from, end = f.from + f.count; i < end; i += 2) {
    const len = readVar(buf, p);
    p = rpos;
    const s = ends[i - 1];
    if (ends[i] - s !== len) return false;
    if (src.compare(buf, p, p + len, s, s + len) !== 0) return false;
    p += len;
  }
  return true;
}

/** Listpack sizes of the fields writePacked last wrote, summed (module scratch, as rpos: no tuple per call). */
let wlp = 0;

/**
 * Writes packed fields [i, end) step `step` as varint length + bytes from p;
 * returns the new offset and leaves their listpack sizes (lpStringSize)
 * summed in wlp. This loop is most of an XADD of 100,000 fields, which no
 * other client is served during: short fields (the usual ones) are moved four
 * bytes at a time through DataViews, which may read up to 3 bytes past a field
 * in src and write up to 3 bytes past it in dst. Those bytes lie beyond p, so
 * the next field's bytes overwrite them, or they stay in dst's unused capacity
 * (never read: a chunk's bytes end at `used`); both buffers are checked to
 * have the room.
 */
function writePacked(f: PackedFields, i: number, end: number, step: number, dst: Buffer, p: number): number {
  const { buf: src, ends } = f;
  const sv = new DataView(src.buffer, src.byteOffset, src.length);
  const dv = new DataView(dst.buffer, dst.byteOffset, dst.length);
  const srcRoom = src.length - 3;
  const dstRoom = dst.length - 4;
  let lp = 0;
  for (; i < end; i += step) {
    const s = ends[i - 1];
    const len = ends[i] - s;
    if (len < 0x80) dst[p++] = len;
    else p = writeVar(dst, p, len);
    if (len <= 64 && s + len < srcRoom && p + len < dstRoom) {
      for (let j = 0; j < len; j += 4) dv.setUint32(p + j, sv.getUint32(s + j, true), true);
    } else src.copy(dst, p, s, s + len);
    // lpStringSize: a short field that cannot be an integer is a 6-bit string (header + bytes + 1-byte backlen).
    const c = src[s];
    lp += len < 64 && (len === 0 || !((c >= 0x30 && c <= 0x39) || c === 0x2d)) ? len + 2 : lpStringSizeAt(src, s, len);
    p += len;
  }
  wlp = lp;
  return p;
}

/** One chunk as plain data (DUMP / RDB): see StreamLog.rawChunks and appendRawChunk. */
export interface RawChunk {
  master: StreamId;
  /** The master entry's field names. */
  names: Buffer[];
  entries: RawEntry[];
}

export interface RawEntry {
  id: StreamId;
  deleted: boolean;
  /** The entry has the master's names: `fields` holds only the values. */
  same: boolean;
  /** Values only when `same`, else name, value, name, value ... */
  fields: Buffer[];
}

// Scratch filled by decodeHead.
let eMs: U64 = 0;
let eSeq: U64 = 0;
let eFlags = 0;

/** Decodes the head (H, Z) of the entry at p into eMs/eSeq/eFlags; returns the offset of its field data. */
function decodeHead(c: Chunk, p: number): number {
  const buf = c.buf;
  const h = readVar(buf, p);
  const z = readVar(buf, rpos);
  eFlags = h & 3; // ToInt32 keeps the low bits of any safe integer
  const dms = h < 0x80000000 ? h >>> 2 : Math.floor(h / 4);
  const ds = z & 1 ? -(z + 1) / 2 : z / 2;
  if (c.small) {
    eMs = (c.ms as number) + dms;
    eSeq = (c.seq as number) + ds;
  } else {
    eMs = u64(BigInt(c.ms) + BigInt(dms));
    eSeq = u64(BigInt(c.seq) + BigInt(ds));
  }
  return rpos;
}

/** Skips the field data of an entry starting at p (after its head). */
function skipFields(buf: Buffer, p: number, flags: number, nameCount: number): number {
  let n: number;
  if (flags & FLAG_SAME) n = nameCount;
  else {
    n = readVar(buf, p) * 2;
    p = rpos;
  }
  for (let i = 0; i < n; i++) {
    const len = readVar(buf, p);
    p = rpos + len;
  }
  return p;
}

/** The master field names of a chunk, as views. */
function chunkNames(c: Chunk): Buffer[] {
  const buf = c.buf;
  const n = readVar(buf, 0);
  let p = rpos;
  const names = new Array<Buffer>(n);
  for (let i = 0; i < n; i++) {
    const len = readVar(buf, p);
    p = rpos;
    names[i] = buf.subarray(p, p + len);
    p += len;
  }
  return names;
}

/** Reads the fields of an entry (field data at p) as views; sets rpos to the end of the entry. */
function readFields(buf: Buffer, p: number, flags: number, names: Buffer[] | null): Buffer[] {
  let out: Buffer[];
  if (flags & FLAG_SAME) {
    const n = names!.length;
    out = new Array<Buffer>(n * 2);
    for (let i = 0; i < n; i++) {
      const len = readVar(buf, p);
      p = rpos;
      out[2 * i] = names![i];
      out[2 * i + 1] = buf.subarray(p, p + len);
      p += len;
    }
  } else {
    const n = readVar(buf, p) * 2;
    p = rpos;
    out = new Array<Buffer>(n);
    for (let i = 0; i < n; i++) {
      const len = readVar(buf, p);
      p = rpos;
      out[i] = buf.subarray(p, p + len);
      p += len;
    }
  }
  rpos = p;
  return out;
}

/** Three-way compare of (ms, seq) with an ID. */
function cmpTo(ms: U64, seq: U64, id: StreamId): number {
  if (ms !== id.ms) return ms < id.ms ? -1 : 1;
  if (seq !== id.seq) return seq < id.seq ? -1 : 1;
  return 0;
}

/** Compare of a chunk's last stored ID (deleted or not) with an ID. */
function cmpLast(c: Chunk, id: StreamId): number {
  let ms: U64, seq: U64;
  if (c.small) {
    ms = (c.ms as number) + c.lastDms;
    seq = (c.seq as number) + c.lastDseq;
  } else {
    ms = u64(BigInt(c.ms) + BigInt(c.lastDms));
    seq = u64(BigInt(c.seq) + BigInt(c.lastDseq));
  }
  return cmpTo(ms, seq, id);
}

function sameNames(c: Chunk, fields: Buffer[]): boolean {
  const nf = fields.length;
  if (c.nameCount * 2 !== nf) return false;
  const buf = c.buf;
  readVar(buf, 0);
  let p = rpos;
  for (let i = 0; i < nf; i += 2) {
    const len = readVar(buf, p);
    p = rpos;
    const f = fields[i];
    if (f.length !== len) return false;
    if (len < 16) {
      for (let j = 0; j < len; j++) if (f[j] !== buf[p + j]) return false;
    } else if (f.compare(buf, p, p + len) !== 0) return false;
    p += len;
  }
  return true;
}

function copyBytes(src: Buffer, dst: Buffer, p: number): number {
  const len = src.length;
  if (len < 16) {
    for (let j = 0; j < len; j++) dst[p + j] = src[j];
  } else src.copy(dst, p);
  return p + len;
}

/**
 * One entry of a range walk, read in place from its chunk. Lets a caller
 * write names and values straight from chunk bytes (writeTo), or take them
 * as views (fields). Points at a different entry after each visit.
 */
export class EntryCursor {
  private chunk: Chunk | null = null;
  /** Offset of the entry's field data (after its head). */
  private q = 0;
  private flags = 0;
  /** The master names of `namesOf`, as views, once fields() needed them. */
  private namesOf: Chunk | null = null;
  private names: Buffer[] | null = null;

  at(c: Chunk, q: number, flags: number): void {
    this.chunk = c;
    this.q = q;
    this.flags = flags;
  }

  /** Number of names plus values (twice the number of fields). */
  get length(): number {
    const c = this.chunk!;
    return this.flags & FLAG_SAME ? c.nameCount * 2 : readVar(c.buf, this.q) * 2;
  }

  /** Hands each name and value, in order, to the sink. */
  writeTo(sink: FieldSink): void {
    const c = this.chunk!;
    const buf = c.buf;
    let p = this.q;
    if (this.flags & FLAG_SAME) {
      // Names come from the master entry at the chunk's start, values from the entry.
      readVar(buf, 0);
      let np = rpos;
      for (let i = 0; i < c.nameCount; i++) {
        const nl = readVar(buf, np);
        np = rpos;
        sink.bulkBytes(buf, np, np + nl);
        np += nl;
        const vl = readVar(buf, p);
        p = rpos;
        sink.bulkBytes(buf, p, p + vl);
        p += vl;
      }
      return;
    }
    const n = readVar(buf, p) * 2;
    p = rpos;
    for (let i = 0; i < n; i++) {
      const len = readVar(buf, p);
      p = rpos;
      sink.bulkBytes(buf, p, p + len);
      p += len;
    }
  }

  /** The names and values as subarray views (see the note on views at the top). */
  fields(): Buffer[] {
    const c = this.chunk!;
    let names: Buffer[] | null = null;
    if (this.flags & FLAG_SAME) {
      if (this.namesOf !== c) {
        this.names = chunkNames(c);
        this.namesOf = c;
      }
      names = this.names;
    }
    return readFields(c.buf, this.q, this.flags, names);
  }
}

// Scratch filled by StreamLog.prepare for writeEntry.
let aH = 0;
let aZ = 0;
let aDms = 0;
let aDs = 0;
let aSame = false;
let aSize = 0;

// ---------------------------------------------------------------------------

/**
 * A place a forward walk reached: entry offset `p` of chunk `ci`, where every
 * entry stored before `p` in that chunk has an ID <= (ms, seq). A later walk
 * whose start is above (ms, seq) and falls in the same chunk can begin at `p`
 * instead of decoding the chunk from its first entry: consumers reading on
 * from where they stopped (XREADGROUP `>`, XREAD with the last ID seen) and
 * readers woken together by one XADD then skip nothing. Offsets survive
 * appends and buffer growth; any chunk removal forgets the hints.
 */
class WalkHint {
  ci = -1;
  p = 0;
  ms: U64 = 0;
  seq: U64 = 0;
}

export class StreamLog {
  /** Where the last forward walk found its first entry, and where it stopped (see WalkHint). */
  private readonly startHint = new WalkHint();
  private readonly stopHint = new WalkHint();
  /** Chunks ordered by master ID; slots before `head` are dead (null). */
  private index: (Chunk | null)[] = [];
  private head = 0;
  private len = 0;
  /**
   * Changes whenever an entry is added or removed (every change of content
   * changes the length, and each one bumps this), never otherwise: a reply
   * encoded from the log stays valid while `version` is the same.
   */
  version = 0;
  /** Sum of chunk buffer capacities. */
  private bufBytes = 0;
  /** Capacity to give a new last chunk: the size of the last sealed one, plus a little. */
  private capHint = MIN_CAPACITY;
  /** Set by trimEach: the first entry its walk did not reach, null when it reached the end of the log. */
  trimStop: StreamId | null = null;

  /** Live entries. */
  get length(): number {
    return this.len;
  }

  /** Chunks in the index (XINFO "radix-tree-keys"). */
  get chunkCount(): number {
    return this.index.length - this.head;
  }

  /** Appends an entry. The caller guarantees id > every ID appended before, fields.length even and >= 2. */
  append(id: StreamId, fields: Buffer[], limits: ChunkLimits): void {
    const index = this.index;
    const tail = index.length > this.head ? index[index.length - 1]! : null;
    if (tail !== null && this.fits(tail, totalFieldBytes(fields), limits) && prepare(tail, id, fields)) {
      this.writeEntry(tail, fields);
      return;
    }
    if (tail !== null) this.seal(tail);
    this.newChunk(id, fields);
  }

  /** append() for fields packed in one buffer (an entry with very many fields): the same bytes, no object per field. */
  appendPacked(id: StreamId, fields: PackedFields, limits: ChunkLimits): void {
    const index = this.index;
    const tail = index.length > this.head ? index[index.length - 1]! : null;
    // Size first: a big entry rarely fits, and then comparing its names with the chunk's is wasted.
    if (tail !== null && this.fits(tail, packedTotalBytes(fields), limits) && preparePacked(tail, id, fields)) {
      this.writeEntryPacked(tail, fields);
      return;
    }
    if (tail !== null) this.seal(tail);
    this.newChunkPacked(id, fields);
  }

  /** Redis's streamAppendItem: a new node when lpBytes + the raw field bytes reach the limit, or when full. */
  private fits(tail: Chunk, fieldBytes: number, limits: ChunkLimits): boolean {
    let maxBytes = limits.maxBytes;
    if (!(maxBytes > 0) || maxBytes > MAX_CHUNK_BYTES) maxBytes = MAX_CHUNK_BYTES;
    const maxEntries = limits.maxEntries;
    return lpBytesOf(tail) + fieldBytes < maxBytes && !(maxEntries > 0 && tail.live + tail.deleted >= maxEntries);
  }

  get(id: StreamId): Buffer[] | null {
    const p = this.find(id);
    if (p < 0 || eFlags & FLAG_DELETED) return null;
    const c = this.index[foundChunk]!;
    const q = decodeHead(c, p);
    const flags = eFlags;
    return readFields(c.buf, q, flags, flags & FLAG_SAME ? chunkNames(c) : null);
  }

  has(id: StreamId): boolean {
    const p = this.find(id);
    return p >= 0 && (eFlags & FLAG_DELETED) === 0;
  }

  /** Marks a live entry deleted; true if there was one. */
  delete(id: StreamId): boolean {
    const p = this.find(id);
    if (p < 0 || eFlags & FLAG_DELETED) return false;
    const ci = foundChunk;
    const c = this.index[ci]!;
    c.buf[p] |= FLAG_DELETED;
    c.live--;
    c.deleted++;
    this.len--;
    this.version++;
    if (c.live === 0) this.removeChunk(ci);
    return true;
  }

  /** ID of the first live entry. */
  firstId(): StreamId | null {
    if (this.len === 0) return null;
    const c = this.index[this.head]!; // never empty: empty chunks leave the index
    const used = c.used;
    let p = c.dataStart;
    while (p < used) {
      const q = decodeHead(c, p);
      if (!(eFlags & FLAG_DELETED)) return { ms: eMs, seq: eSeq };
      p = skipFields(c.buf, q, eFlags, c.nameCount);
    }
    return null;
  }

  /** ID of the last live entry. O(1) when the last stored entry is live (always, unless XDEL took it), else O(chunk). */
  lastId(): StreamId | null {
    if (this.len === 0) return null;
    const c = this.index[this.index.length - 1]!;
    if (!(c.buf[c.lastAt] & FLAG_DELETED)) {
      if (c.small) return { ms: (c.ms as number) + c.lastDms, seq: (c.seq as number) + c.lastDseq };
      return { ms: u64(BigInt(c.ms) + BigInt(c.lastDms)), seq: u64(BigInt(c.seq) + BigInt(c.lastDseq)) };
    }
    const used = c.used;
    let p = c.dataStart;
    let ms: U64 = 0;
    let seq: U64 = 0;
    let found = false;
    while (p < used) {
      const q = decodeHead(c, p);
      if (!(eFlags & FLAG_DELETED)) {
        ms = eMs;
        seq = eSeq;
        found = true;
      }
      p = skipFields(c.buf, q, eFlags, c.nameCount);
    }
    return found ? { ms, seq } : null;
  }

  /**
   * Visits live entries with start <= id <= end, ascending (rev=false) or
   * descending (rev=true), at most `count` (0 = no limit); returns how many
   * were visited. The visitor must not modify the log.
   */
  range(start: StreamId, end: StreamId, rev: boolean, count: number, visit: EntryVisitor): number {
    return this.rangeRaw(start, end, rev, count, (ms, seq, entry) => visit({ ms, seq }, entry.fields()));
  }

  /**
   * As range(), but the visitor gets the ID halves and an EntryCursor over the
   * entry's bytes in place: a reply can be written straight from the chunks,
   * with no ID object and no Buffer view per field (XRANGE, XREAD).
   * O(log chunks + entries visited).
   */
  rangeRaw(start: StreamId, end: StreamId, rev: boolean, count: number, visit: RawEntryVisitor): number {
    if (this.len === 0 || compareIds(start, end) > 0) return 0;
    const index = this.index;
    const entry = new EntryCursor();
    let n = 0;
    if (!rev) {
      let ci = this.seek(start);
      if (ci < this.head) ci = this.head;
      // Resume where an earlier walk got to in this chunk, when everything before that point is below `start`.
      let from = -1;
      const sh = this.startHint;
      const th = this.stopHint;
      if (sh.ci === ci && cmpTo(sh.ms, sh.seq, start) < 0) from = sh.p;
      if (th.ci === ci && th.p > from && cmpTo(th.ms, th.seq, start) < 0) from = th.p;
      let started = false;
      for (; ci < index.length; ci++) {
        const c = index[ci]!;
        if (compareIds(c, end) > 0) return n;
        const buf = c.buf;
        const used = c.used;
        const nc = c.nameCount;
        let p = c.dataStart;
        if (from >= 0) {
          p = from;
          from = -1;
        }
        // The entry decoded last in this chunk (none yet: `havePrev` false).
        let havePrev = false;
        let prevMs: U64 = 0;
        let prevSeq: U64 = 0;
        while (p < used) {
          const at = p;
          const q = decodeHead(c, p);
          const flags = eFlags;
          const ms = eMs;
          const seq = eSeq;
          p = skipFields(buf, q, flags, nc);
          if (!started) {
            if (cmpTo(ms, seq, start) < 0) {
              havePrev = true;
              prevMs = ms;
              prevSeq = seq;
              continue;
            }
            started = true;
            if (havePrev) setHint(sh, ci, at, prevMs, prevSeq);
          }
          if (cmpTo(ms, seq, end) > 0) return n;
          if (flags & FLAG_DELETED) continue;
          entry.at(c, q, flags);
          n++;
          if (visit(ms, seq, entry) === false || n === count) {
            setHint(th, ci, p, ms, seq);
            return n;
          }
        }
      }
      return n;
    }
    let offs = new Int32Array(128);
    for (let ci = this.seek(end); ci >= this.head; ci--) {
      const c = index[ci]!;
      if (cmpLast(c, start) < 0) return n;
      const buf = c.buf;
      const used = c.used;
      const nc = c.nameCount;
      const total = c.live + c.deleted;
      if (offs.length < total) offs = new Int32Array(Math.max(total, offs.length * 2));
      let k = 0;
      let p = c.dataStart;
      while (p < used) {
        const q = decodeHead(c, p);
        if (cmpTo(eMs, eSeq, end) > 0) break;
        offs[k++] = p;
        p = skipFields(buf, q, eFlags, nc);
      }
      while (k > 0) {
        const q = decodeHead(c, offs[--k]);
        const flags = eFlags;
        if (cmpTo(eMs, eSeq, start) < 0) return n;
        if (flags & FLAG_DELETED) continue;
        entry.at(c, q, flags);
        n++;
        if (visit(eMs, eSeq, entry) === false || n === count) return n;
      }
    }
    return n;
  }

  /** Redis 7 streamTrim with MAXLEN. `limit` 0 = none. Returns the number of entries removed. */
  trimMaxLen(maxLen: number, approx: boolean, limit: number): number {
    let removed = 0;
    while (this.head < this.index.length && this.len > maxLen) {
      const c = this.index[this.head]!;
      if (limit > 0 && removed + c.live > limit) break;
      if (this.len - c.live >= maxLen) {
        removed += c.live;
        this.len -= c.live;
        this.version++;
        this.removeChunk(this.head);
        continue;
      }
      if (approx) break;
      const buf = c.buf;
      const used = c.used;
      let p = c.dataStart;
      while (p < used && this.len > maxLen) {
        const flags = readVar(buf, p) & 3;
        if (!(flags & FLAG_DELETED)) {
          buf[p] |= FLAG_DELETED;
          c.live--;
          c.deleted++;
          this.len--;
          this.version++;
          removed++;
        }
        readVar(buf, rpos);
        p = skipFields(buf, rpos, flags, c.nameCount);
      }
      if (c.live === 0) this.removeChunk(this.head);
      break;
    }
    return removed;
  }

  /** Redis 7 streamTrim with MINID. `limit` 0 = none. Returns the number of entries removed. */
  trimMinId(minId: StreamId, approx: boolean, limit: number): number {
    let removed = 0;
    while (this.head < this.index.length) {
      const c = this.index[this.head]!;
      if (limit > 0 && removed + c.live > limit) break;
      if (cmpLast(c, minId) < 0) {
        removed += c.live;
        this.len -= c.live;
        this.version++;
        this.removeChunk(this.head);
        continue;
      }
      if (approx) break;
      const buf = c.buf;
      const used = c.used;
      let p = c.dataStart;
      while (p < used) {
        const q = decodeHead(c, p);
        if (cmpTo(eMs, eSeq, minId) >= 0) break;
        const flags = eFlags;
        if (!(flags & FLAG_DELETED)) {
          buf[p] |= FLAG_DELETED;
          c.live--;
          c.deleted++;
          this.len--;
          this.version++;
          removed++;
        }
        p = skipFields(buf, q, flags, c.nameCount);
      }
      // Redis leaves such an emptied node in the rax; we keep "no empty chunks".
      if (c.live === 0) this.removeChunk(this.head);
      break;
    }
    return removed;
  }

  /**
   * Redis 8.2+ streamTrim with DELREF or ACKED, as it is since
   * redis/redis#14623 (Dec 2025): `~` changes nothing but the LIMIT, every
   * entry in range is visited and `mayDelete(ms, seq)` decides for each live
   * one (true = delete; ACKED skips referenced entries and goes on past them).
   * Trims by length when `maxLen` is not null, else below `minId`.
   *
   * Chunk by chunk from the head, as Redis's nodes: stop when the length is
   * reached (MAXLEN) or when the chunk's live entries would take the removed
   * count over `limit` (0 = none); a chunk is "eligible" when it lies wholly
   * in range (MAXLEN: length - its live entries >= maxLen; MINID: its last
   * stored ID, tombstone or not, < minId). Inside a chunk, stop at the first
   * entry out of range (MAXLEN: length <= maxLen; MINID: ID >= minId). After
   * an eligible chunk the walk goes on to the next one, after any other it
   * stops. A chunk left with no live entries is removed (redis/redis#15815).
   * Returns the number of entries removed and leaves in `trimStop` the ID of
   * the first entry the walk did not reach (null: it reached the end), so
   * that `MINID = trimStop` replays exactly the same walk. O(entries visited).
   */
  trimEach(maxLen: number | null, minId: StreamId, limit: number, mayDelete: (ms: U64, seq: U64) => boolean): number {
    const byLen = maxLen !== null;
    const max = maxLen ?? 0;
    let removed = 0;
    let ci = this.head;
    this.trimStop = null;
    while (ci < this.index.length) {
      const c = this.index[ci]!;
      if ((byLen && this.len <= max) || (limit > 0 && removed + c.live > limit)) {
        this.trimStop = { ms: c.ms, seq: c.seq };
        break;
      }
      const eligible = byLen ? this.len - c.live >= max : cmpLast(c, minId) < 0;
      const buf = c.buf;
      const used = c.used;
      let p = c.dataStart;
      while (p < used) {
        const at = p;
        const q = decodeHead(c, p);
        const flags = eFlags;
        if (byLen ? this.len <= max : cmpTo(eMs, eSeq, minId) >= 0) {
          this.trimStop = { ms: eMs, seq: eSeq };
          break;
        }
        const ms = eMs;
        const seq = eSeq;
        p = skipFields(buf, q, flags, c.nameCount);
        if (flags & FLAG_DELETED || !mayDelete(ms, seq)) continue;
        buf[at] |= FLAG_DELETED;
        c.live--;
        c.deleted++;
        this.len--;
        this.version++;
        removed++;
      }
      let next = ci + 1;
      if (c.live === 0) {
        const wasHead = ci === this.head;
        this.removeChunk(ci);
        // removeChunk may compact the index: the next chunk is at the (new) head, or at ci after a splice.
        next = wasHead ? this.head : ci;
      }
      if (!eligible) {
        if (this.trimStop === null && next < this.index.length) {
          const n = this.index[next]!;
          this.trimStop = { ms: n.ms, seq: n.seq };
        }
        break;
      }
      ci = next;
    }
    return removed;
  }

  /** Approximate bytes held: chunk buffers (with spare capacity) plus per-chunk and per-log overhead. */
  memoryUsage(): number {
    return LOG_OVERHEAD + this.bufBytes + (this.index.length - this.head) * CHUNK_OVERHEAD + this.head * 8;
  }

  /** An independent copy (buffers copied, each exactly sized). */
  clone(): StreamLog {
    const out = new StreamLog();
    for (let i = this.head; i < this.index.length; i++) {
      const c = this.index[i]!;
      const buf = Buffer.allocUnsafeSlow(c.used);
      c.buf.copy(buf, 0, 0, c.used);
      const d = new Chunk(c.ms, c.seq, c.small, buf, c.nameCount, c.dataStart);
      d.used = c.used;
      d.live = c.live;
      d.deleted = c.deleted;
      d.lastDms = c.lastDms;
      d.lastDseq = c.lastDseq;
      d.lastAt = c.lastAt;
      d.lpFixed = c.lpFixed;
      out.index.push(d);
      out.bufBytes += c.used;
    }
    out.len = this.len;
    out.capHint = this.capHint;
    return out;
  }

  /**
   * Every chunk as plain data, deleted entries included, in ID order: what
   * DUMP and the RDB writer turn into Redis listpack nodes. O(bytes).
   */
  *rawChunks(): IterableIterator<RawChunk> {
    for (let i = this.head; i < this.index.length; i++) {
      const c = this.index[i]!;
      const names = chunkNames(c);
      const entries: RawEntry[] = [];
      let p = c.dataStart;
      while (p < c.used) {
        const q = decodeHead(c, p);
        const flags = eFlags;
        const id = { ms: eMs, seq: eSeq };
        let fields: Buffer[];
        if (flags & FLAG_SAME) {
          fields = new Array<Buffer>(c.nameCount);
          let r = q;
          for (let k = 0; k < c.nameCount; k++) {
            const len = readVar(c.buf, r);
            r = rpos;
            fields[k] = c.buf.subarray(r, r + len);
            r += len;
          }
          p = r;
        } else {
          fields = readFields(c.buf, q, flags, null);
          p = rpos;
        }
        entries.push({ id, deleted: (flags & FLAG_DELETED) !== 0, same: (flags & FLAG_SAME) !== 0, fields });
      }
      yield { master: { ms: c.ms, seq: c.seq }, names, entries };
    }
  }

  /**
   * Appends a chunk given as plain data (RESTORE, RDB load), keeping its
   * entries, deletion flags and same-names flags as they are, so that
   * rawChunks() gives it back unchanged. The caller guarantees: entry IDs
   * strictly ascending, all above every ID already in the log, the master
   * ID <= the first entry's, `same` entries have one value per master name,
   * others an even number (>= 2) of fields. An entry whose ID deltas this
   * log cannot hold (IDs more than 2^51 ms or 2^52 seq apart) starts a new
   * chunk; a chunk left with only deleted entries is dropped.
   */
  appendRawChunk(raw: RawChunk): void {
    let c: Chunk | null = null;
    let cNames: Buffer[] = raw.names;
    const finish = (): void => {
      if (c === null) return;
      this.seal(c);
      if (c.live === 0) {
        this.forgetHints();
        this.index.pop();
        this.bufBytes -= c.buf.length;
      }
      c = null;
    };
    const start = (master: StreamId, names: Buffer[]): Chunk => {
      let size = varLen(names.length);
      for (const n of names) size += varLen(n.length) + n.length;
      const buf = Buffer.allocUnsafeSlow(Math.max(size, MIN_CAPACITY));
      let p = writeVar(buf, 0, names.length);
      for (const n of names) {
        p = writeVar(buf, p, n.length);
        p = copyBytes(n, buf, p);
      }
      const small = typeof master.ms === 'number' && typeof master.seq === 'number';
      const nc = new Chunk(master.ms, master.seq, small, buf, names.length, p);
      nc.lpFixed = lpMasterSize(names, names.length, null);
      this.index.push(nc);
      this.bufBytes += buf.length;
      cNames = names;
      return nc;
    };
    for (const e of raw.entries) {
      // The entry's fields relative to the chunk it lands in.
      let full: Buffer[] | null = null;
      const expand = (): Buffer[] => {
        if (full !== null) return full;
        if (!e.same) return (full = e.fields);
        full = new Array<Buffer>(raw.names.length * 2);
        for (let k = 0; k < raw.names.length; k++) {
          full[2 * k] = raw.names[k];
          full[2 * k + 1] = e.fields[k];
        }
        return full;
      };
      if (c === null) c = start(raw.master, raw.names);
      if (!prepare(c, e.id, expand())) {
        finish();
        const f = expand();
        const names = e.same ? raw.names : f.filter((_, k) => k % 2 === 0);
        c = start(e.id, names);
        prepare(c, e.id, f);
      }
      const cc: Chunk = c;
      // Keep the flag as given: `same` only when the chunk's names are the raw master's.
      const same = e.same && cNames === raw.names;
      aSame = same;
      aH = aDms * 4 + (same ? FLAG_SAME : 0);
      const f = expand();
      aSize = varLen(aH) + varLen(aZ);
      if (same) for (let k = 1; k < f.length; k += 2) aSize += varLen(f[k].length) + f[k].length;
      else {
        aSize += varLen(f.length >>> 1);
        for (let k = 0; k < f.length; k++) aSize += varLen(f[k].length) + f[k].length;
      }
      const at = cc.used;
      this.writeEntry(cc, f);
      if (e.deleted) {
        cc.buf[at] |= FLAG_DELETED;
        cc.live--;
        cc.deleted++;
        this.len--;
        this.version++;
      }
    }
    finish();
  }

  /** Internal consistency check for tests: recounts everything; throws on a mismatch. */
  check(): void {
    let total = 0;
    let prevLast: StreamId | null = null;
    let bytes = 0;
    for (let i = 0; i < this.head; i++) if (this.index[i] !== null) throw new Error('live slot before head');
    for (let i = this.head; i < this.index.length; i++) {
      const c = this.index[i]!;
      bytes += c.buf.length;
      let live = 0;
      let deleted = 0;
      let p = c.dataStart;
      let last: StreamId | null = null;
      while (p < c.used) {
        const q = decodeHead(c, p);
        const id = { ms: eMs, seq: eSeq };
        if (last !== null ? compareIds(last, id) >= 0 : prevLast !== null && compareIds(prevLast, id) >= 0)
          throw new Error('IDs out of order');
        if (c.small && (typeof eMs !== 'number' || typeof eSeq !== 'number')) throw new Error('small chunk with bigint');
        last = id;
        if (eFlags & FLAG_DELETED) deleted++;
        else live++;
        p = skipFields(c.buf, q, eFlags, c.nameCount);
      }
      if (p !== c.used) throw new Error('chunk overrun');
      if (live !== c.live || deleted !== c.deleted) throw new Error('chunk counts');
      if (live === 0) throw new Error('empty chunk in index');
      if (last === null || cmpLast(c, last) !== 0) throw new Error('chunk last id');
      if (i < this.index.length - 1 && c.buf.length !== c.used) throw new Error('sealed chunk not exact');
      prevLast = last;
      total += live;
    }
    if (total !== this.len) throw new Error('length');
    if (bytes !== this.bufBytes) throw new Error('bufBytes');
  }

  // -------------------------------------------------------------------------

  /** Index of the last chunk whose master ID <= id, or head - 1. */
  private seek(id: StreamId): number {
    const index = this.index;
    let lo = this.head;
    let hi = index.length - 1;
    let ans = lo - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(index[mid]!, id) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  /** Offset of the entry with this ID (deleted or not) or -1; sets foundChunk and eFlags. */
  private find(id: StreamId): number {
    const ci = this.seek(id);
    if (ci < this.head) return -1;
    const c = this.index[ci]!;
    const buf = c.buf;
    const used = c.used;
    let p = c.dataStart;
    while (p < used) {
      const q = decodeHead(c, p);
      const cmp = cmpTo(eMs, eSeq, id);
      if (cmp === 0) {
        foundChunk = ci;
        return p;
      }
      if (cmp > 0) return -1;
      p = skipFields(buf, q, eFlags, c.nameCount);
    }
    return -1;
  }

  private removeChunk(ci: number): void {
    this.forgetHints();
    const index = this.index;
    this.bufBytes -= index[ci]!.buf.length;
    if (ci === this.head) {
      index[ci] = null;
      this.head++;
      if (this.head === index.length) {
        index.length = 0;
        this.head = 0;
      } else if (this.head >= 16 && this.head * 2 >= index.length) {
        index.copyWithin(0, this.head);
        index.length -= this.head;
        this.head = 0;
      }
    } else if (ci === index.length - 1) index.pop();
    else index.splice(ci, 1);
  }

  private forgetHints(): void {
    this.startHint.ci = -1;
    this.stopHint.ci = -1;
  }

  /** Trims a chunk's buffer to its exact size (the chunk stops being the one appended to). */
  private seal(c: Chunk): void {
    const used = c.used;
    this.capHint = Math.max(MIN_CAPACITY, used + (used >>> 4));
    if (c.buf.length === used) return;
    const buf = Buffer.allocUnsafeSlow(used);
    c.buf.copy(buf, 0, 0, used);
    this.bufBytes += used - c.buf.length;
    c.buf = buf;
  }

  /** Makes room for the entry prepare() sized and writes its head; returns where its fields go (in c.buf). */
  private entryHead(c: Chunk): number {
    let p = c.used;
    c.lastAt = p;
    const need = p + aSize;
    let buf = c.buf;
    if (need > buf.length) {
      const nb = Buffer.allocUnsafeSlow(Math.max(need, buf.length * 2, MIN_CAPACITY));
      buf.copy(nb, 0, 0, p);
      this.bufBytes += nb.length - buf.length;
      c.buf = buf = nb;
    }
    p = writeVar(buf, p, aH);
    return writeVar(buf, p, aZ);
  }

  /** Records the entry written up to p (lpSize: its listpack size). */
  private entryDone(c: Chunk, p: number, lpSize: number): void {
    c.used = p;
    c.live++;
    c.lastDms = aDms;
    c.lastDseq = aDs;
    c.lpFixed += lpSize;
    this.len++;
    this.version++;
  }

  private writeEntryPacked(c: Chunk, f: PackedFields): void {
    let p = this.entryHead(c);
    const end = f.from + f.count;
    if (aSame) {
      p = writePacked(f, f.from + 1, end, 2, c.buf, p);
    } else {
      p = writeVar(c.buf, p, f.count >>> 1);
      p = writePacked(f, f.from, end, 1, c.buf, p);
    }
    this.entryDone(c, p, lpEntrySizeOf(aDms, aDs, aSame, f.count >>> 1, wlp));
  }

  private writeEntry(c: Chunk, fields: Buffer[]): void {
    let p = this.entryHead(c);
    const buf = c.buf;
    const nf = fields.length;
    if (aSame) {
      for (let i = 1; i < nf; i += 2) {
        const f = fields[i];
        p = writeVar(buf, p, f.length);
        p = copyBytes(f, buf, p);
      }
    } else {
      p = writeVar(buf, p, nf >>> 1);
      for (let i = 0; i < nf; i++) {
        const f = fields[i];
        p = writeVar(buf, p, f.length);
        p = copyBytes(f, buf, p);
      }
    }
    this.entryDone(c, p, lpEntrySize(aDms, aDs, aSame, fields));
  }

  private newChunk(id: StreamId, fields: Buffer[]): void {
    const nf = fields.length;
    let headerSize = varLen(nf >>> 1);
    let valuesSize = 0;
    for (let i = 0; i < nf; i += 2) {
      const nl = fields[i].length;
      const vl = fields[i + 1].length;
      headerSize += varLen(nl) + nl;
      valuesSize += varLen(vl) + vl;
    }
    const entrySize = 2 + valuesSize; // H = FLAG_SAME and Z = 0 take a byte each
    const cap = Math.max(headerSize + entrySize, this.capHint);
    const buf = Buffer.allocUnsafeSlow(cap);
    let p = writeVar(buf, 0, nf >>> 1);
    for (let i = 0; i < nf; i += 2) {
      const f = fields[i];
      p = writeVar(buf, p, f.length);
      p = copyBytes(f, buf, p);
    }
    const c = this.addChunk(id, buf, nf >>> 1, p, lpMasterSize([], nf >>> 1, fields), entrySize);
    this.writeEntry(c, fields);
  }

  /**
   * newChunk for packed fields. The buffer is sized from the fields' total
   * bytes without a pass over them: every field takes its bytes plus a
   * varint length, which is 1 byte below 128 and at most 1 more per 64 bytes
   * of the field above that, so total + count + total/64 + a few bytes always
   * holds master names and first entry (left over: under 2 %, trimmed when the
   * chunk is sealed).
   */
  private newChunkPacked(id: StreamId, f: PackedFields): void {
    const nf = f.count;
    const total = packedTotalBytes(f);
    const cap = Math.max(total + nf + Math.ceil(total / 64) + 32, this.capHint);
    const buf = Buffer.allocUnsafeSlow(cap);
    const p = writePacked(f, f.from, f.from + nf, 2, buf, writeVar(buf, 0, nf >>> 1));
    // The first entry may use all the room left (its exact size is known once written).
    const c = this.addChunk(id, buf, nf >>> 1, p, lpMasterSizeOf(nf >>> 1, wlp), cap - p);
    this.writeEntryPacked(c, f);
  }

  /** Adds a chunk whose master names are written in buf up to dataStart, sized for a first entry of entrySize bytes (FLAG_SAME, deltas 0). */
  private addChunk(id: StreamId, buf: Buffer, nameCount: number, dataStart: number, lpMaster: number, entrySize: number): Chunk {
    const small = typeof id.ms === 'number' && typeof id.seq === 'number';
    const c = new Chunk(id.ms, id.seq, small, buf, nameCount, dataStart);
    c.lpFixed = lpMaster;
    this.index.push(c);
    this.bufBytes += buf.length;
    aH = FLAG_SAME;
    aZ = 0;
    aDms = 0;
    aDs = 0;
    aSame = true;
    aSize = entrySize;
    return c;
  }
}

let foundChunk = 0;

function setHint(h: WalkHint, ci: number, p: number, ms: U64, seq: U64): void {
  h.ci = ci;
  h.p = p;
  h.ms = ms;
  h.seq = seq;
}

/**
 * Encodes the entry's head relative to chunk c into the a* scratch; false when
 * its deltas cannot be represented in c (it must start a new chunk).
 */
function prepare(c: Chunk, id: StreamId, fields: Buffer[]): boolean {
  if (!deltas(c, id)) return false;
  const same = sameNames(c, fields);
  const nf = fields.length;
  let size = varLen(aDms * 4 + (same ? FLAG_SAME : 0)) + varLen(aZ);
  if (same) {
    for (let i = 1; i < nf; i += 2) {
      const l = fields[i].length;
      size += varLen(l) + l;
    }
  } else {
    size += varLen(nf >>> 1);
    for (let i = 0; i < nf; i++) {
      const l = fields[i].length;
      size += varLen(l) + l;
    }
  }
  aH = aDms * 4 + (same ? FLAG_SAME : 0);
  aSame = same;
  aSize = size;
  return true;
}

/** prepare() for packed fields. */
function preparePacked(c: Chunk, id: StreamId, f: PackedFields): boolean {
  if (!deltas(c, id)) return false;
  const same = sameNamesPacked(c, f);
  const { ends } = f;
  const end = f.from + f.count;
  let size = varLen(aDms * 4 + (same ? FLAG_SAME : 0)) + varLen(aZ);
  if (!same) size += varLen(f.count >>> 1);
  for (let i = same ? f.from + 1 : f.from; i < end; i += same ? 2 : 1) {
    const l = ends[i] - ends[i - 1];
    size += varLen(l) + l;
  }
  aH = aDms * 4 + (same ? FLAG_SAME : 0);
  aSame = same;
  aSize = size;
  return true;
}

/** The entry's ID deltas from chunk c into the a* scratch (aDms, aDs, aZ); false when c cannot represent them. */
function deltas(c: Chunk, id: StreamId): boolean {
  let dms: number;
  let ds: number;
  if (c.small) {
    if (typeof id.ms !== 'number' || typeof id.seq !== 'number') return false;
    dms = id.ms - (c.ms as number);
    ds = id.seq - (c.seq as number);
  } else {
    const bdms = BigInt(id.ms) - BigInt(c.ms);
    const bds = BigInt(id.seq) - BigInt(c.seq);
    if (bdms < 0n || bdms > MAX_DMS_BIG || bds < -SEQ_LIM_BIG || bds >= SEQ_LIM_BIG) return false;
    dms = Number(bdms);
    ds = Number(bds);
  }
  if (dms < 0 || dms > MAX_DMS || ds < -SEQ_LIM || ds >= SEQ_LIM) return false;
  aZ = ds >= 0 ? ds * 2 : -ds * 2 - 1;
  aDms = dms;
  aDs = ds;
  return true;
}
