/**
 * A stream value: the ID log plus its metadata and consumer groups.
 *
 * Invariants:
 * - `lastId` >= the ID of every entry ever added (also after deletions and
 *   XSETID); XADD must go above it. 0-0 for a stream nothing was ever added to.
 * - `length` of the log counts live entries only.
 * - `maxDeletedId` is the greatest ID ever removed by XDEL (or set by XSETID
 *   MAXDELETEDID); 0-0 if none. Trimming does not change it, as in Redis:
 *   trimmed entries are all below the first ID, which the lag logic knows.
 * - `entriesAdded` counts every entry ever appended (XSETID may raise it).
 * - groups are kept by name; listings (XINFO GROUPS) sort names bytewise, as
 *   Redis's radix tree does.
 */
import type { TypedValue } from '../types/value.js';
import * as E from '../errors.js';
import { StreamLog, type ChunkLimits } from './log.js';
import { type StreamId, type I64, MIN_ID, MAX_ID, U64_MAX, compareIds, nextId, prevId, formatId, addI64 } from './id.js';
import type { ConsumerGroup } from './group.js';
import { IdmpState } from './idmp.js';

export const enum TrimStrategy {
  None = 0,
  MaxLen = 1,
  MinId = 2,
}

/**
 * What a deletion or trim does about consumer-group references (Redis 8.2):
 * KEEPREF leaves PEL entries dangling (XDEL's behaviour, the default),
 * DELREF removes them from every group's PEL, ACKED deletes only entries
 * every group has delivered and acknowledged.
 */
export const enum RefPolicy {
  KeepRef = 0,
  DelRef = 1,
  Acked = 2,
}

/** A trim as the data layer needs it (XADD/XTRIM parse it from their arguments). */
export interface TrimSpec {
  strategy: TrimStrategy;
  /** KEEPREF (default), DELREF or ACKED: what trimming does about consumer-group references. */
  refPolicy: RefPolicy;
  /** `~`: trim whole chunks only (and at most `limit` entries). */
  approx: boolean;
  /** MAXLEN threshold (a count; values above 2^53 lose nothing that matters, they exceed any length). */
  maxLen: number;
  /** MINID threshold. */
  minId: StreamId;
  /** Entries trimming may remove at most; 0 = no limit. */
  limit: number;
}

export class Stream implements TypedValue {
  readonly kind = 'stream';
  readonly encoding = 'stream';
  /** Entries, ordered by ID. */
  log = new StreamLog();
  /** The ID of the last entry ever added (or set by XSETID). */
  lastId: StreamId = MIN_ID;
  /** The greatest ID ever deleted by XDEL (or set by XSETID), 0-0 when none. */
  maxDeletedId: StreamId = MIN_ID;
  /** Count of all entries ever added (exact up to 2^63-1: a bigint beyond 2^53, see I64). */
  entriesAdded: I64 = 0;
  /** Consumer groups by name (latin1 string of the name's bytes). */
  readonly groups = new Map<string, ConsumerGroup>();
  /**
   * Whether a group was ever created on this stream (Redis's s->cgroups is
   * allocated by the first XGROUP CREATE and kept when the groups are
   * destroyed). XDELEX/XACKDEL ACKED treat a stream that never had groups as
   * referenced, but not one whose groups were all destroyed.
   */
  hadGroups = false;
  /** Idempotent-production tracking (Redis 8.6), created by the first IDMP XADD or XCFGSET; null before. */
  idmp: IdmpState | null = null;

  get length(): number {
    return this.log.length;
  }

  /** ID of the first live entry, or null when empty. O(chunk). */
  firstEntryId(): StreamId | null {
    return this.log.firstId();
  }

  /** ID of the last live entry (Redis's streamLastValidID), or null when empty. O(chunk). */
  lastEntryId(): StreamId | null {
    return this.log.lastId();
  }

  /** True when no further entry can ever be added (lastId is the maximum ID). */
  get exhausted(): boolean {
    return this.lastId.ms === U64_MAX && this.lastId.seq === U64_MAX;
  }

  /**
   * The ID XADD would give a new entry (Redis's streamAppendItem rules):
   * null → auto (`*`: now, or lastId + 1 when the clock is not ahead);
   * `seqGiven` false → `ms-*` (seq 0, or lastId.seq + 1 in the same ms);
   * otherwise the explicit ID. Throws "equal or smaller than the target
   * stream top item" when the result is not above lastId. The caller checks
   * `exhausted` first.
   */
  nextAddId(explicit: { id: StreamId; seqGiven: boolean } | null, nowMs: number): StreamId {
    const last = this.lastId;
    let id: StreamId;
    if (explicit === null) {
      if (nowMs > last.ms) id = { ms: nowMs, seq: 0 };
      else id = nextId(last) ?? MIN_ID;
    } else if (explicit.seqGiven) {
      id = explicit.id;
    } else if (explicit.id.ms === last.ms) {
      if (last.seq === U64_MAX) throw E.XADD_ID_TOO_SMALL;
      id = nextId(last)!;
    } else {
      id = explicit.id;
    }
    if (compareIds(id, last) <= 0) throw E.XADD_ID_TOO_SMALL;
    return id;
  }

  /** Appends an entry whose ID came from nextAddId. `fields` alternate name, value. O(1) amortised. */
  append(id: StreamId, fields: Buffer[], limits: ChunkLimits): void {
    this.log.append(id, fields, limits);
    this.lastId = id;
    const n = this.entriesAdded;
    this.entriesAdded = typeof n === 'number' && n < Number.MAX_SAFE_INTEGER ? n + 1 : addI64(n, 1);
  }

  /** XDEL: deletes each live ID, raising maxDeletedId; returns how many were deleted. */
  deleteIds(ids: StreamId[]): number {
    let n = 0;
    for (const id of ids) {
      if (!this.log.delete(id)) continue;
      if (compareIds(id, this.maxDeletedId) > 0) this.maxDeletedId = id;
      n++;
    }
    return n;
  }

  /**
   * Trims by MAXLEN or MINID (Redis's streamTrim): `approx` removes whole
   * chunks only, `limit` (0 = none) caps the entries removed. Returns how many
   * were removed. Does not touch maxDeletedId. O(entries removed + chunks).
   */
  trim(a: TrimSpec): number {
    // "If there are no consumer groups, these arguments have no effect" (Redis 8.2 XADD/XTRIM).
    if (a.refPolicy === RefPolicy.KeepRef || this.groups.size === 0) return this.trimLog(a);
    if (a.refPolicy === RefPolicy.Acked) return this.trimAcked(a);
    // DELREF: trim, then drop the groups' references to the removed head range.
    const before = this.firstEntryId();
    const lastBefore = this.lastEntryId();
    const removed = this.trimLog(a);
    if (removed > 0 && before !== null) {
      const after = this.firstEntryId();
      const end = after === null ? lastBefore! : prevId(after);
      if (end !== null) this.deleteRefsInRange(before, end);
    }
    return removed;
  }

  private trimLog(a: TrimSpec): number {
    if (a.strategy === TrimStrategy.MaxLen) return this.log.trimMaxLen(a.maxLen, a.approx, a.limit);
    if (a.strategy === TrimStrategy.MinId) return this.log.trimMinId(a.minId, a.approx, a.limit);
    return 0;
  }

  /**
   * ACKED trimming: removes only a head of entries every group has delivered
   * and acknowledged, so it stops at the first referenced entry even when the
   * threshold asks for more. O(entries removed + groups).
   */
  private trimAcked(a: TrimSpec): number {
    const ref = this.firstReferencedId();
    if (ref === null) return this.trimLog(a);
    if (a.strategy === TrimStrategy.MinId) {
      const bound = compareIds(ref, a.minId) < 0 ? ref : a.minId;
      return this.log.trimMinId(bound, a.approx, a.limit);
    }
    if (a.strategy !== TrimStrategy.MaxLen) return 0;
    const excess = this.length - a.maxLen;
    const lastFree = prevId(ref);
    if (excess <= 0 || lastFree === null) return 0;
    // How many of the entries MAXLEN would remove are unreferenced (they form a head: all below `ref`).
    const free = this.log.range(MIN_ID, lastFree, false, excess, () => true);
    if (free === 0) return 0;
    return this.log.trimMaxLen(this.length - free, a.approx, a.limit);
  }

  /**
   * The smallest ID some group still references: its first pending entry, or
   * the first ID above its last-delivered ID (not yet delivered). null when no
   * group references anything (or there are no groups). O(groups).
   */
  firstReferencedId(): StreamId | null {
    let min: StreamId | null = null;
    for (const g of this.groups.values()) {
      const pe = g.pel.first();
      if (pe !== undefined && (min === null || compareIds(pe.id, min) < 0)) min = pe.id;
      const undelivered = nextId(g.lastId);
      if (undelivered !== null && (min === null || compareIds(undelivered, min) < 0)) min = undelivered;
    }
    return min;
  }

  /**
   * Is the entry still referenced by a consumer group (Redis 8.2 ACKED rule):
   * some group has not delivered it yet or has it pending? A stream that never
   * had a group counts as referenced, as XDELEX ACKED documents ("2 ... also,
   * if there are no consumer groups"); once groups existed, only the live ones
   * count (a destroyed group's references are gone). O(groups · log PEL).
   */
  isReferenced(id: StreamId): boolean {
    if (this.groups.size === 0) return !this.hadGroups;
    for (const g of this.groups.values()) {
      if (compareIds(id, g.lastId) > 0 || g.pel.get(id) !== undefined) return true;
    }
    return false;
  }

  /** DELREF: removes the entry from every group's PEL (and its owner's). Returns how many PEL entries went. */
  deleteRefs(id: StreamId): number {
    let n = 0;
    for (const g of this.groups.values()) if (g.deletePending(id) !== undefined) n++;
    return n;
  }

  /** Removes every group's pending entries with start <= id <= end. */
  private deleteRefsInRange(start: StreamId, end: StreamId): void {
    for (const g of this.groups.values()) {
      const doomed: StreamId[] = [];
      const cur = g.pel.seek(start);
      for (let pe = cur.next(); pe !== null && compareIds(pe.id, end) <= 0; pe = cur.next()) doomed.push(pe.id);
      for (const id of doomed) g.deletePending(id);
    }
  }

  /** The threshold that makes an exact trim reproduce the state after this one (see rewriteForPropagation). */
  achievedThreshold(a: TrimSpec): string {
    if (a.strategy === TrimStrategy.MaxLen) return String(this.length);
    return formatId(this.firstEntryId() ?? MAX_ID);
  }

  memoryUsage(): number {
    let n = 64 + this.log.memoryUsage();
    for (const g of this.groups.values()) n += g.memoryUsage();
    if (this.idmp !== null) n += this.idmp.memoryUsage();
    return n;
  }

  clone(): Stream {
    const s = new Stream();
    s.log = this.log.clone();
    s.lastId = this.lastId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    for (const [name, g] of this.groups) s.groups.set(name, g.clone());
    s.hadGroups = this.hadGroups;
    s.idmp = this.idmp === null ? null : this.idmp.clone();
    return s;
  }
}
