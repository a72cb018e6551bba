/**
 * Read-only views of the engine's state for the metrics endpoint and the
 * dashboard: which streams to report (bounded), and per stream its groups,
 * consumers and oldest pending entries, as plain objects.
 *
 * Nothing here changes data, touches a key's access time (OBJECT IDLETIME),
 * expires a key or looks at a client's socket: it reads `server.dbs`,
 * `server.stats`, the stream values and the AOF controller's counters.
 *
 * Bounds (so that a server with a million keys does not produce a million
 * series): a scan of all keys picks the streams whose names match
 * `metrics-streams` (a glob; empty = every stream) and keeps the `limit`
 * longest ones, O(keys · log limit). Per group, at most MAX_CONSUMERS
 * consumers (those with most pending entries) and a scan of at most
 * PEL_SCAN pending entries for the oldest ones and the largest delivery count.
 */
import type { Engine } from '../engine/engine.js';
import { Stream } from '../stream/stream.js';
import type { ConsumerGroup, PendingEntry } from '../stream/group.js';
import { groupLag } from '../stream/lag.js';
import { formatId, type StreamId } from '../stream/id.js';
import { globMatch } from '../glob.js';

/** Consumers reported per group. */
export const MAX_CONSUMERS = 100;
/** Pending entries examined per group for `oldest` and `maxDeliveries`. */
export const PEL_SCAN = 10_000;
/** Oldest pending entries listed per group. */
export const OLDEST_LISTED = 5;

export interface StreamRef {
  db: number;
  /** The key's bytes as a latin1 string (keys are binary-safe). */
  key: string;
  stream: Stream;
}

export interface Selection {
  /** The chosen streams, longest first (ties: db, then key). */
  streams: StreamRef[];
  /** How many streams matched the pattern (before the limit). */
  matched: number;
}

/**
 * The `limit` longest streams whose key matches `pattern` ('' = all), over
 * every database; logically expired keys are skipped, not deleted.
 * O(keys · log limit).
 */
export function selectStreams(server: Engine, pattern: string, limit: number): Selection {
  const heap: StreamRef[] = []; // a min-heap on (length, then reverse name order) of at most `limit` refs
  let matched = 0;
  const pat = Buffer.from(pattern, 'utf8');
  for (const db of server.dbs) {
    if (db.size === 0) continue;
    for (const [key, v] of db.data) {
      if (!(v instanceof Stream)) continue;
      if (pattern !== '' && !globMatch(pat, key)) continue;
      if (db.expires.size !== 0 && db.isExpired(key)) continue;
      matched++;
      if (limit <= 0) continue;
      const ref: StreamRef = { db: db.id, key, stream: v };
      if (heap.length < limit) heapPush(heap, ref);
      else if (before(heap[0], ref)) heapReplaceTop(heap, ref);
    }
  }
  heap.sort((a, b) => (before(a, b) ? 1 : before(b, a) ? -1 : 0));
  return { streams: heap, matched };
}

/** Does `a` rank below `b` (shorter, or as long and later by db/name)? */
function before(a: StreamRef, b: StreamRef): boolean {
  if (a.stream.length !== b.stream.length) return a.stream.length < b.stream.length;
  if (a.db !== b.db) return a.db > b.db;
  return a.key > b.key;
}

function heapPush(h: StreamRef[], x: StreamRef): void {
  h.push(x);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function heapReplaceTop(h: StreamRef[], x: StreamRef): void {
  h[0] = x;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && before(h[l], h[m])) m = l;
    if (r < h.length && before(h[r], h[m])) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}

// ---- views -------------------------------------------------------------------

export interface ConsumerView {
  name: string;
  pending: number;
  /** ms since the last attempted interaction (XINFO CONSUMERS `idle`). */
  idleMs: number;
  /** ms since the last successful interaction (XINFO CONSUMERS `inactive`), null when never active. */
  inactiveMs: number | null;
}

export interface PendingView {
  id: string;
  /** Owner; '' for an entry released by XNACK. */
  consumer: string;
  idleMs: number;
  deliveries: number;
  /** The entry's fields (name, value, ...) as UTF-8 text, only when payloads are enabled; null when deleted. */
  fields?: string[] | null;
}

export interface GroupView {
  name: string;
  /** XINFO GROUPS `lag`; null when Redis would report nil (unknown after deletions). */
  lag: number | null;
  pending: number;
  consumersTotal: number;
  lastDeliveredId: string;
  lastDeliveredMs: number;
  /** XINFO GROUPS `entries-read`; null when unknown. */
  entriesRead: number | null;
  /** Largest idle (ms) among the first pending entry of each consumer; 0 when nothing is pending. */
  oldestPendingIdleMs: number;
  /** Largest delivery count among the scanned pending entries (0 when none). */
  maxDeliveries: number;
  /** Whether the PEL was larger than PEL_SCAN (maxDeliveries/oldest then cover only the lowest IDs). */
  pelTruncated: boolean;
  consumers: ConsumerView[];
  oldest: PendingView[];
}

export interface StreamView {
  db: number;
  key: string;
  length: number;
  entriesAdded: number;
  firstId: string | null;
  lastId: string | null;
  lastGeneratedId: string;
  maxDeletedId: string;
  /** ms part of the first/last entry IDs (0 when empty), for the exporter-style gauges. */
  firstMs: number;
  lastMs: number;
  lastGeneratedMs: number;
  maxDeletedMs: number;
  memoryBytes: number;
  groups: GroupView[];
}

const msOf = (id: StreamId): number => Number(id.ms);

/** A stream's view at `now`. O(groups · (consumers log consumers + min(PEL, PEL_SCAN))). */
export function viewStream(ref: StreamRef, now: number, payloads: boolean): StreamView {
  const s = ref.stream;
  const first = s.firstEntryId();
  const last = s.lastEntryId();
  const groups: GroupView[] = [];
  const names = Array.from(s.groups.keys()).sort();
  for (const name of names) groups.push(viewGroup(s, s.groups.get(name)!, now, payloads));
  return {
    db: ref.db,
    key: ref.key,
    length: s.length,
    entriesAdded: Number(s.entriesAdded),
    firstId: first === null ? null : formatId(first),
    lastId: last === null ? null : formatId(last),
    lastGeneratedId: formatId(s.lastId),
    maxDeletedId: formatId(s.maxDeletedId),
    firstMs: first === null ? 0 : msOf(first),
    lastMs: last === null ? 0 : msOf(last),
    lastGeneratedMs: msOf(s.lastId),
    maxDeletedMs: msOf(s.maxDeletedId),
    memoryBytes: s.memoryUsage(),
    groups,
  };
}

function viewGroup(s: Stream, g: ConsumerGroup, now: number, payloads: boolean): GroupView {
  let oldestIdle = 0;
  const consumers: ConsumerView[] = [];
  for (const c of g.consumers.values()) {
    const head = c.pel.first();
    if (head !== undefined) oldestIdle = Math.max(oldestIdle, now - head.deliveryTime);
    consumers.push({
      name: c.name,
      pending: c.pel.size,
      idleMs: Math.max(0, now - c.seenTime),
      inactiveMs: c.activeTime === -1 ? null : Math.max(0, now - c.activeTime),
    });
  }
  const unownedHead = g.unowned.pel.first();
  if (unownedHead !== undefined) oldestIdle = Math.max(oldestIdle, now - unownedHead.deliveryTime);
  consumers.sort((a, b) => b.pending - a.pending || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // The OLDEST_LISTED longest-idle entries among the first PEL_SCAN, and the largest delivery count.
  let maxDeliveries = 0;
  const oldest: PendingEntry[] = [];
  const cur = g.pel.seek();
  let scanned = 0;
  for (let pe = cur.next(); pe !== null && scanned < PEL_SCAN; pe = cur.next(), scanned++) {
    if (pe.deliveryCount > maxDeliveries) maxDeliveries = Number(pe.deliveryCount);
    if (oldest.length < OLDEST_LISTED) {
      oldest.push(pe);
      oldest.sort((a, b) => a.deliveryTime - b.deliveryTime);
    } else if (pe.deliveryTime < oldest[OLDEST_LISTED - 1].deliveryTime) {
      oldest[OLDEST_LISTED - 1] = pe;
      oldest.sort((a, b) => a.deliveryTime - b.deliveryTime);
    }
  }
  // 64-bit counters (number or bigint) become numbers here: Prometheus values are float64, JSON has no bigint.
  const lag = groupLag(s, g);
  return {
    name: g.name,
    lag: lag === null ? null : Number(lag),
    pending: g.pel.size,
    consumersTotal: g.consumers.size,
    lastDeliveredId: formatId(g.lastId),
    lastDeliveredMs: msOf(g.lastId),
    entriesRead: g.entriesRead < 0 ? null : Number(g.entriesRead),
    oldestPendingIdleMs: Math.max(0, oldestIdle),
    maxDeliveries,
    pelTruncated: g.pel.size > PEL_SCAN,
    consumers: consumers.slice(0, MAX_CONSUMERS),
    oldest: oldest.map((pe) => {
      const v: PendingView = {
        id: formatId(pe.id),
        consumer: pe.consumer.name,
        idleMs: Math.max(0, now - pe.deliveryTime),
        deliveries: Number(pe.deliveryCount),
      };
      if (payloads) {
        const f = s.log.get(pe.id);
        v.fields = f === null ? null : f.map((b) => b.toString('utf8'));
      }
      return v;
    }),
  };
}

// ---- server-wide figures -----------------------------------------------------

export interface AofView {
  enabled: boolean;
  rewriteInProgress: boolean;
  rewriteScheduled: boolean;
  lastWriteOk: boolean;
  lastBgrewriteOk: boolean;
  currentSize: number;
  baseSize: number;
  bufferLength: number;
  pendingFsync: boolean;
  lastRewriteSec: number;
  rewrites: number;
  /** Unix ms of the last completed fsync, 0 when none. */
  lastFsyncMs: number;
}

/** The AOF figures from INFO persistence's source (the persistence plugin's fields), plus the last fsync time. */
export function aofView(fields: [string, string | number][], lastFsyncMs: number): AofView {
  const f = new Map(fields);
  const num = (k: string): number => Number(f.get(k) ?? 0);
  return {
    enabled: num('aof_enabled') === 1,
    rewriteInProgress: num('aof_rewrite_in_progress') === 1,
    rewriteScheduled: num('aof_rewrite_scheduled') === 1,
    lastWriteOk: (f.get('aof_last_write_status') ?? 'ok') === 'ok',
    lastBgrewriteOk: (f.get('aof_last_bgrewrite_status') ?? 'ok') === 'ok',
    currentSize: num('aof_current_size'),
    baseSize: num('aof_base_size'),
    bufferLength: num('aof_buffer_length'),
    pendingFsync: num('aof_pending_bio_fsync') === 1,
    lastRewriteSec: num('aof_last_rewrite_time_sec'),
    rewrites: num('aof_rewrites'),
    lastFsyncMs,
  };
}
