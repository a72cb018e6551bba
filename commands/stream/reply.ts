/**
 * Reply shapes shared by the stream commands. An entry is
 * `[id, [field, value, ...]]` in RESP2 and RESP3 alike; an entry that is
 * pending but no longer in the stream (XREADGROUP history, XCLAIM) is
 * `[id, nil]` with a null array.
 */
import type { Session } from '../../lib/engine/session.js';
import { Proto, type ReplyWriter } from '../../lib/resp/writer.js';
import type { StreamId, U64 } from '../../lib/stream/id.js';
import type { EntryCursor } from '../../lib/stream/log.js';
import type { Stream } from '../../lib/stream/stream.js';

/** Writes one stream ID as a bulk string (`ms-seq`); no string is built unless a half is above 2^53. */
export function writeId(c: Session, id: StreamId): void {
  writeIdHalves(c.reply, id.ms, id.seq);
}

function writeIdHalves(r: ReplyWriter, ms: U64, seq: U64): void {
  if (typeof ms === 'number' && typeof seq === 'number') r.bulkDecimalPair(ms, seq);
  else r.bulkLatin1(`${ms}-${seq}`);
}

/** Writes `[id, [f, v, ...]]`, or `[id, nil]` when `fields` is null (a deleted entry). */
export function writeEntry(c: Session, id: StreamId, fields: Buffer[] | null): void {
  const r = c.reply;
  r.array(2);
  writeId(c, id);
  if (fields === null) {
    r.nullArray();
    return;
  }
  r.array(fields.length);
  for (let i = 0; i < fields.length; i++) r.bulk(fields[i]);
}

/** Entries collected from a range walk: parallel arrays, no object per entry beyond what the log hands out. */
export interface EntryBatch {
  ids: StreamId[];
  fields: Buffer[][];
}

/**
 * Collects the live entries with start <= id <= end (descending when `rev`),
 * at most `count` of them (0 = all). O(log chunks + entries visited).
 */
export function collectRange(s: Stream, start: StreamId, end: StreamId, rev: boolean, count: number): EntryBatch {
  const batch: EntryBatch = { ids: [], fields: [] };
  s.log.range(start, end, rev, count, (id, fields) => {
    batch.ids.push(id);
    batch.fields.push(fields);
    return true;
  });
  return batch;
}

/** Writes an array of entries. */
export function writeEntries(c: Session, batch: EntryBatch): void {
  const n = batch.ids.length;
  c.reply.array(n);
  for (let i = 0; i < n; i++) writeEntry(c, batch.ids[i], batch.fields[i]);
}

/** Writes `[id, [f, v, ...]]` for an entry read in place by a raw range walk. */
function writeEntryInPlace(r: ReplyWriter, ms: U64, seq: U64, entry: EntryCursor): void {
  r.array(2);
  writeIdHalves(r, ms, seq);
  r.array(entry.length);
  entry.writeTo(r);
}

/**
 * Writes the entries of a range as an array (XRANGE, XREVRANGE), straight
 * from the stream's chunks: no ID object or field Buffer per entry. The
 * array's length is known only after the walk, so its header is put in
 * front afterwards. Returns how many entries were written; their IDs are
 * pushed onto `ids` when given (XREADGROUP delivers them).
 */
export function writeRange(c: Session, s: Stream, start: StreamId, end: StreamId, rev: boolean, count: number, ids?: StreamId[]): number {
  const r = c.reply;
  const at = r.mark();
  const n = s.log.rangeRaw(start, end, rev, count, (ms, seq, entry) => {
    writeEntryInPlace(r, ms, seq, entry);
    ids?.push({ ms, seq });
    return true;
  });
  r.insertArrayHeader(at, n);
  return n;
}

/**
 * Opens an XREAD/XREADGROUP reply for `n` streams: a map key → entries in
 * RESP3, an array of [key, entries] pairs in RESP2. Returns whether it is RESP3
 * (streamsReplyKey needs it).
 */
export function beginStreamsReply(c: Session, n: number): boolean {
  const resp3 = c.proto === Proto.RESP3;
  if (resp3) c.reply.map(n);
  else c.reply.array(n);
  return resp3;
}

/** Writes one stream's key in a reply opened by beginStreamsReply; its entries follow. */
export function streamsReplyKey(c: Session, resp3: boolean, key: Buffer): void {
  if (!resp3) c.reply.array(2);
  c.reply.bulk(key);
}
