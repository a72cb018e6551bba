/**
 * Streams in RDB (rdb.c, RDB_TYPE_STREAM_LISTPACKS / _2 / _3):
 *
 *   <number of nodes>
 *   per node:  <master ID: 16-byte string, ms and seq big endian> <listpack string>
 *   <length> <last ID ms> <last ID seq>
 *   _2, _3:    <first ID ms> <first ID seq> <max deleted ms> <max deleted seq> <entries added>
 *   <number of groups>
 *   per group: <name> <last ID ms> <last ID seq> [_2, _3: <entries read, -1 as 2^64-1>]
 *              <PEL size> per entry: <16-byte raw ID> <delivery ms, 8 bytes LE> <delivery count>
 *              <number of consumers>
 *              per consumer: <name> <seen ms> [_3: <active ms>] <PEL size> per entry: <16-byte raw ID>
 *
 * A node's listpack (t_stream.c):
 *   master entry:  count | deleted | num-fields | field_1 ... field_N | 0
 *   each entry:    flags | ms-delta | seq-delta | [num-fields | field_1 value_1 ...] or [value_1 ...] | lp-count
 *   flags: 1 deleted, 2 same fields as the master (names omitted).
 *
 * Groups, consumers and PEL entries are written in Redis's rax order
 * (bytewise names, IDs ascending). Older encodings are read as Redis reads
 * them: _1 has no first ID / max deleted ID / entries added (entries added =
 * length, max deleted = 0-0) and no group entries-read (estimated from the
 * stream, as streamEstimateDistanceFromFirstEverEntry does); _1 and _2 have
 * no consumer active time (= seen time).
 *
 * Not in the RDB (as in Redis 7.4): IDMP state (Redis 8.6's encoding is not
 * documented) — a restored stream starts with no idempotency records.
 * Entries released by XNACK (no owner) are written as group-PEL entries no
 * consumer lists, and read back the same way.
 */
import { Stream } from '../stream/stream.js';
import { StreamLog, type RawChunk, type RawEntry } from '../stream/log.js';
import { type StreamId, type I64, MIN_ID, compareIds, u64 } from '../stream/id.js';
import { ConsumerGroup, Consumer, DELIVERY_COUNT_MAX, ENTRIES_READ_UNKNOWN } from '../stream/group.js';
import { estimateDistanceFromFirstEverEntry } from '../stream/lag.js';
import { type RdbReader, type RdbWriter, RdbError, normU64 } from './encoding.js';
import { ListpackWriter, parseListpack, lpBytes, lpInt, type LpElement } from './listpack.js';

export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;

const FLAG_DELETED = 1;
const FLAG_SAME = 2;
const TWO64 = 1n << 64n;
const LLONG_MAX = (1n << 63n) - 1n;

/** 16 bytes: ms and seq as big-endian u64 (the rax key). */
export function rawId(id: StreamId): Buffer {
  const b = Buffer.allocUnsafe(16);
  b.writeBigUInt64BE(BigInt(id.ms), 0);
  b.writeBigUInt64BE(BigInt(id.seq), 8);
  return b;
}

function idFromRaw(b: Buffer, off = 0): StreamId {
  return { ms: normU64(b.readBigUInt64BE(off)), seq: normU64(b.readBigUInt64BE(off + 8)) };
}

/** a - b as Redis stores it (uint64 difference reinterpreted as int64). */
function delta(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const d = BigInt.asIntN(64, BigInt(a) - BigInt(b));
  return d >= BigInt(Number.MIN_SAFE_INTEGER) && d <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d) : d;
}

/** base + d modulo 2^64. */
function addDelta(base: number | bigint, d: number | bigint): number | bigint {
  if (typeof base === 'number' && typeof d === 'number') {
    const v = base + d;
    if (v >= 0 && Number.isSafeInteger(v)) return v;
  }
  let v = (BigInt(base) + BigInt(d)) % TWO64;
  if (v < 0n) v += TWO64;
  return u64(v);
}

/** The listpack Redis holds for one chunk. */
export function chunkListpack(c: RawChunk): Buffer {
  const lp = new ListpackWriter();
  let live = 0;
  for (const e of c.entries) if (!e.deleted) live++;
  lp.int(live);
  lp.int(c.entries.length - live);
  lp.int(c.names.length);
  for (const n of c.names) lp.string(n);
  lp.int(0);
  for (const e of c.entries) {
    lp.int((e.deleted ? FLAG_DELETED : 0) | (e.same ? FLAG_SAME : 0));
    lp.int(delta(e.id.ms, c.master.ms));
    lp.int(delta(e.id.seq, c.master.seq));
    if (e.same) {
      for (const v of e.fields) lp.string(v);
      lp.int(e.fields.length + 3);
    } else {
      const nf = e.fields.length >>> 1;
      lp.int(nf);
      for (const f of e.fields) lp.string(f);
      lp.int(nf * 2 + 4);
    }
  }
  return lp.finish();
}

/** Writes a stream value (after its type byte). `rdbType` picks the encoding generation. */
export function writeStream(w: RdbWriter, s: Stream, compress: boolean, rdbType = RDB_TYPE_STREAM_LISTPACKS_3): void {
  w.len(s.log.chunkCount);
  for (const c of s.log.rawChunks()) {
    w.string(rawId(c.master), compress);
    w.string(chunkListpack(c), compress);
  }
  w.len(s.length);
  w.len(s.lastId.ms);
  w.len(s.lastId.seq);
  if (rdbType >= RDB_TYPE_STREAM_LISTPACKS_2) {
    const first = s.firstEntryId() ?? MIN_ID;
    w.len(first.ms);
    w.len(first.seq);
    w.len(s.maxDeletedId.ms);
    w.len(s.maxDeletedId.seq);
    w.len(s.entriesAdded);
  }
  const names = Array.from(s.groups.keys()).sort(bytewise);
  w.len(names.length);
  for (const name of names) {
    const g = s.groups.get(name)!;
    w.string(Buffer.from(name, 'latin1'), compress);
    w.len(g.lastId.ms);
    w.len(g.lastId.seq);
    if (rdbType >= RDB_TYPE_STREAM_LISTPACKS_2) w.lenSigned(g.entriesRead);
    w.len(g.pel.size);
    const cur = g.pel.seek();
    for (let pe = cur.next(); pe !== null; pe = cur.next()) {
      w.raw(rawId(pe.id));
      w.millis(pe.deliveryTime);
      w.len(pe.deliveryCount);
    }
    const consumers = g.sortedConsumers();
    w.len(consumers.length);
    for (const c of consumers) {
      w.string(Buffer.from(c.name, 'latin1'), compress);
      w.millis(c.seenTime);
      if (rdbType >= RDB_TYPE_STREAM_LISTPACKS_3) w.millis(c.activeTime);
      w.len(c.pel.size);
      const cc = c.pel.seek();
      for (let pe = cc.next(); pe !== null; pe = cc.next()) w.raw(rawId(pe.id));
    }
  }
}

function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function int(e: LpElement | undefined, what: string): number | bigint {
  if (e === undefined) throw new RdbError(`Stream listpack truncated (${what})`);
  const v = lpInt(e);
  if (v === null) throw new RdbError(`Stream listpack: ${what} is not an integer`);
  return v;
}

function smallInt(e: LpElement | undefined, what: string, min: number, max: number): number {
  const v = int(e, what);
  if (typeof v !== 'number' || v < min || v > max) throw new RdbError(`Stream listpack: ${what} out of range`);
  return v;
}

/**
 * Decodes one node: validates the master entry, every entry, the counters
 * and the lp-count fields, and that IDs ascend above `after`. Returns the
 * chunk and the ID of its last entry.
 */
export function decodeNode(master: StreamId, lp: Buffer, after: StreamId | null): { chunk: RawChunk; last: StreamId } {
  const els = parseListpack(lp);
  if (els.length === 0) throw new RdbError('Empty listpack inside stream');
  let i = 0;
  const count = smallInt(els[i++], 'master count', 0, Number.MAX_SAFE_INTEGER);
  const deleted = smallInt(els[i++], 'master deleted count', 0, Number.MAX_SAFE_INTEGER);
  const nNames = smallInt(els[i++], 'master field count', 1, els.length);
  const names: Buffer[] = [];
  for (let k = 0; k < nNames; k++) {
    const e = els[i++];
    if (e === undefined) throw new RdbError('Stream listpack truncated (master fields)');
    names.push(lpBytes(e));
  }
  if (smallInt(els[i++], 'master terminator', 0, 0) !== 0) throw new RdbError('bad master terminator');
  const entries: RawEntry[] = [];
  let prev: StreamId | null = after;
  let live = 0;
  while (i < els.length) {
    const startAt = i;
    const flags = smallInt(els[i++], 'entry flags', 0, 3);
    const dms = int(els[i++], 'ms delta');
    const dseq = int(els[i++], 'seq delta');
    const id = { ms: addDelta(master.ms, dms), seq: addDelta(master.seq, dseq) };
    if (prev !== null && compareIds(id, prev) <= 0) throw new RdbError('Stream entry IDs out of order');
    if (entries.length === 0 && compareIds(id, master) < 0) throw new RdbError('Stream entry below its master ID');
    const same = (flags & FLAG_SAME) !== 0;
    let fields: Buffer[];
    if (same) {
      fields = [];
      for (let k = 0; k < nNames; k++) {
        const e = els[i++];
        if (e === undefined) throw new RdbError('Stream listpack truncated (values)');
        fields.push(lpBytes(e));
      }
    } else {
      const nf = smallInt(els[i++], 'entry field count', 1, els.length);
      fields = [];
      for (let k = 0; k < nf * 2; k++) {
        const e = els[i++];
        if (e === undefined) throw new RdbError('Stream listpack truncated (fields)');
        fields.push(lpBytes(e));
      }
    }
    const lpCount = int(els[i++], 'lp-count');
    if (lpCount !== i - startAt - 1) throw new RdbError('Stream entry lp-count mismatch');
    const del = (flags & FLAG_DELETED) !== 0;
    if (!del) live++;
    entries.push({ id, deleted: del, same, fields });
    prev = id;
  }
  if (entries.length === 0) throw new RdbError('Stream node without entries');
  if (live !== count || entries.length - live !== deleted) throw new RdbError('Stream node counters mismatch');
  return { chunk: { master, names, entries }, last: prev! };
}

function nonNegative(v: I64, what: string): I64 {
  if (v < 0) throw new RdbError(`${what} out of range`);
  return v;
}

function readId(r: RdbReader, what: string): StreamId {
  const ms = r.lenAny(what);
  const seq = r.lenAny(what);
  return { ms, seq };
}

/** Reads a stream value of the given RDB type (after its type byte). Throws RdbError. */
export function readStream(r: RdbReader, rdbType: number): Stream {
  const s = new Stream();
  const log = new StreamLog();
  const nodes = r.len('stream node count');
  let last: StreamId | null = null;
  for (let n = 0; n < nodes; n++) {
    const key = r.string('stream node key');
    if (key.length !== 16) throw new RdbError('Stream node key entry is not the size of a stream ID');
    const master = idFromRaw(key);
    if (last !== null && compareIds(master, last) <= 0) throw new RdbError('Stream node keys out of order');
    const lp = r.string('stream listpack');
    const node = decodeNode(master, lp, last);
    log.appendRawChunk(node.chunk);
    last = node.last;
  }
  s.log = log;
  const length = r.len('stream length');
  s.lastId = readId(r, 'stream last ID');
  if (length !== log.length) throw new RdbError('Stream length inconsistent with its entries');
  if (last !== null) {
    const lastLive = log.lastId();
    if (lastLive !== null && compareIds(lastLive, s.lastId) > 0) throw new RdbError('Stream last ID below its last entry');
    if (compareIds(last, s.lastId) > 0) throw new RdbError('Stream last ID below its last entry');
  }
  if (rdbType >= RDB_TYPE_STREAM_LISTPACKS_2) {
    readId(r, 'stream first ID'); // recomputed from the entries (Redis keeps it equal to the first live ID)
    s.maxDeletedId = readId(r, 'stream max deleted ID');
    s.entriesAdded = nonNegative(r.lenSigned('stream entries added'), 'stream entries added');
  } else {
    s.maxDeletedId = MIN_ID;
    s.entriesAdded = length;
  }
  const groups = r.len('stream group count');
  for (let g = 0; g < groups; g++) {
    const gname = r.string('group name').toString('latin1');
    if (s.groups.has(gname)) throw new RdbError(`Duplicated consumer group name ${gname}`);
    const lastId = readId(r, 'group last ID');
    let entriesRead: I64;
    if (rdbType >= RDB_TYPE_STREAM_LISTPACKS_2) {
      const v = r.lenSigned('group entries read');
      if (v < ENTRIES_READ_UNKNOWN) throw new RdbError('group entries read out of range');
      entriesRead = v;
    } else {
      entriesRead = estimateDistanceFromFirstEverEntry(s, lastId);
    }
    const group = new ConsumerGroup(gname, lastId, entriesRead);
    s.groups.set(gname, group);
    const pelSize = r.len('group PEL size', r.remaining);
    const pending: { id: StreamId; time: number; count: I64 }[] = [];
    let prevId: StreamId | null = null;
    for (let k = 0; k < pelSize; k++) {
      const id = idFromRaw(r.raw(16, 'PEL ID'));
      if (prevId !== null && compareIds(id, prevId) <= 0) throw new RdbError('Duplicated global PEL entry loading stream consumer group');
      prevId = id;
      const time = r.millis('PEL delivery time');
      const cnt = r.lenAny('PEL delivery count');
      pending.push({ id, time, count: typeof cnt === 'number' ? cnt : cnt >= LLONG_MAX ? DELIVERY_COUNT_MAX : cnt });
    }
    const owner = new Map<number, Consumer>();
    const nConsumers = r.len('consumer count', r.remaining);
    let prevName: string | null = null;
    for (let k = 0; k < nConsumers; k++) {
      const cname = r.string('consumer name').toString('latin1');
      if (group.consumers.has(cname)) throw new RdbError('Duplicate stream consumer detected.');
      prevName = cname;
      const seen = r.millis('consumer seen time');
      const active = rdbType >= RDB_TYPE_STREAM_LISTPACKS_3 ? r.millis('consumer active time') : seen;
      const consumer = new Consumer(cname, seen, active);
      group.consumers.set(cname, consumer);
      const n = r.len('consumer PEL size', r.remaining);
      for (let j = 0; j < n; j++) {
        const id = idFromRaw(r.raw(16, 'consumer PEL ID'));
        const at = findPending(pending, id);
        if (at < 0) throw new RdbError('Consumer entry not found in group global PEL');
        if (owner.has(at)) throw new RdbError('Duplicated consumer PEL entry loading a stream consumer group');
        owner.set(at, consumer);
      }
    }
    void prevName;
    for (let k = 0; k < pending.length; k++) {
      const p = pending[k];
      group.addPending(p.id, owner.get(k) ?? group.unowned, p.time, p.count);
    }
  }
  return s;
}

function findPending(list: { id: StreamId }[], id: StreamId): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareIds(list[mid].id, id);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
