/**
 * Consumer-group lag (Redis 7): how many entries of the stream a group has
 * not read yet, as XINFO GROUPS / XINFO STREAM FULL report it.
 *
 * Redis does not count: it keeps `entriesAdded` on the stream and a logical
 * read counter (`entriesRead`) on each group, and lag = entriesAdded -
 * entriesRead. Deletions (tombstones) make the distance between two IDs
 * unknowable without a scan, so the counter is only trusted when no tombstone
 * lies ahead of the group, and otherwise estimated from the stream's edges —
 * or reported as unknown (nil). These functions follow Redis's
 * streamRangeHasTombstones, streamEstimateDistanceFromFirstEverEntry and
 * streamReplyWithCGLag rule for rule, so that XINFO's numbers match.
 */
import { type StreamId, type I64, MIN_ID, MAX_ID, compareIds, isZeroId, addI64, subI64 } from './id.js';
import type { Stream } from './stream.js';
import { type ConsumerGroup, ENTRIES_READ_UNKNOWN } from './group.js';

/** The stream's first live ID, 0-0 when empty (Redis's recorded first_id). O(chunk). */
export function firstEntryId(s: Stream): StreamId {
  return s.log.firstId() ?? MIN_ID;
}

/**
 * Does [start, end] (null = open) contain the stream's greatest tombstone?
 * False for an empty stream or one that never had a deletion. O(1).
 */
export function rangeHasTombstones(s: Stream, start: StreamId | null, end: StreamId | null): boolean {
  if (s.length === 0 || isZeroId(s.maxDeletedId)) return false;
  const from = start ?? MIN_ID;
  const to = end ?? MAX_ID;
  return compareIds(from, s.maxDeletedId) <= 0 && compareIds(s.maxDeletedId, to) <= 0;
}

/**
 * The logical read counter of `id`: the number of entries from the first one
 * ever added up to `id`, or ENTRIES_READ_UNKNOWN (-1) when it cannot be known
 * (an ID among tombstones, in the middle of the stream, or in the future).
 */
export function estimateDistanceFromFirstEverEntry(s: Stream, id: StreamId): I64 {
  if (s.entriesAdded === 0) return 0;
  if (s.length === 0 && compareIds(id, s.lastId) < 1) return s.entriesAdded;
  if (!isZeroId(id) && compareIds(id, s.maxDeletedId) < 0) return ENTRIES_READ_UNKNOWN;
  const cmpLast = compareIds(id, s.lastId);
  if (cmpLast === 0) return s.entriesAdded;
  if (cmpLast > 0) return ENTRIES_READ_UNKNOWN;
  const first = firstEntryId(s);
  if (isZeroId(s.maxDeletedId) || compareIds(s.maxDeletedId, first) < 0) {
    // No tombstone after the first entry: the distance is exact.
    const cmpFirst = compareIds(id, first);
    if (cmpFirst < 0) return subI64(s.entriesAdded, s.length);
    if (cmpFirst === 0) return addI64(subI64(s.entriesAdded, s.length), 1);
  }
  return ENTRIES_READ_UNKNOWN;
}

/**
 * Updates the group's read counter for the delivery of `id` (which is above
 * the group's last ID), as streamReplyWithRange does; the caller then sets
 * group.lastId = id.
 */
export function advanceEntriesRead(s: Stream, g: ConsumerGroup, id: StreamId, first: StreamId): void {
  if (g.entriesRead !== ENTRIES_READ_UNKNOWN && compareIds(g.lastId, first) >= 0 && !rangeHasTombstones(s, g.lastId, null)) {
    g.entriesRead = addI64(g.entriesRead, 1);
  } else if (s.entriesAdded !== 0) {
    g.entriesRead = estimateDistanceFromFirstEverEntry(s, id);
  }
}

/**
 * The group's lag, or null when it is unknown (XINFO replies nil). Redis's
 * newest rules (late 2024, kept in 8.x): 0 for a stream that never had an
 * entry or has none left; the stream's length when both the group's last ID
 * and the greatest tombstone are behind the first entry (XTRIM moved the
 * start past the group: everything left is unread); otherwise the read
 * counter, or an estimate of it. Redis 8 caps ENTRIESREAD at entries-added
 * (capEntriesRead), so XGROUP cannot make it negative; XSETID ENTRIESADDED can.
 */
export function groupLag(s: Stream, g: ConsumerGroup): I64 | null {
  if (s.entriesAdded === 0 || s.length === 0) return 0;
  const first = firstEntryId(s);
  if (compareIds(g.lastId, first) < 0 && compareIds(s.maxDeletedId, first) < 0) return s.length;
  let read: I64 = g.entriesRead;
  if (read === ENTRIES_READ_UNKNOWN || rangeHasTombstones(s, g.lastId, null)) {
    read = estimateDistanceFromFirstEverEntry(s, g.lastId);
    if (read === ENTRIES_READ_UNKNOWN) return null;
  }
  // Not clamped: XSETID ENTRIESADDED can lower entries-added below a group's counter, and Redis
  // (7.0, 7.4 and the 2026 streamReplyWithCGLag alike) then reports the negative difference.
  return subI64(s.entriesAdded, read);
}

/**
 * An ENTRIESREAD given to XGROUP CREATE/SETID, capped at the stream's
 * entries-added (Redis 8: a group cannot have read more entries than were
 * ever added, so its lag is never negative). -1 (unknown) stays.
 */
export function capEntriesRead(s: Stream | null, n: I64): I64 {
  if (n === ENTRIES_READ_UNKNOWN) return n;
  const added = s ? s.entriesAdded : 0;
  return n > added ? added : n;
}
