/**
 * Reply shapes shared by the stream commands. An entry is
 * `[id, [field, value, ...]]` in RESP2 and RESP3 alike; an entry that is
 * pending but no longer in the stream (XREADGROUP history, XCLAIM) is
 * `[id, nil]` with a null array.
 */
import type { Client } from '../client.js';
import { type StreamId, formatId } from './id.js';
import type { Stream } from './stream.js';

/** Writes one stream ID as a bulk string (`ms-seq`); no string is built unless a half is above 2^53. */
export function writeId(c: Client, id: StreamId): void {
  const { ms, seq } = id;
  if (typeof ms === 'number' && typeof seq === 'number') c.reply.bulkDecimalPair(ms, seq);
  else c.reply.bulkLatin1(formatId(id));
}

/** Writes `[id, [f, v, ...]]`, or `[id, nil]` when `fields` is null (a deleted entry). */
export function writeEntry(c: Client, id: StreamId, fields: Buffer[] | null): void {
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
export function writeEntries(c: Client, batch: EntryBatch): void {
  const n = batch.ids.length;
  c.reply.array(n);
  for (let i = 0; i < n; i++) writeEntry(c, batch.ids[i], batch.fields[i]);
}

/** Writes the entries of a range as an array (XRANGE, XREVRANGE, XREAD's per-stream list). Returns how many. */
export function writeRange(c: Client, s: Stream, start: StreamId, end: StreamId, rev: boolean, count: number): number {
  const batch = collectRange(s, start, end, rev, count);
  writeEntries(c, batch);
  return batch.ids.length;
}
