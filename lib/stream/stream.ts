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
import { StreamLog, type ChunkLimits, type PackedFields } from './log.js';
import { type StreamId, type I64, MIN_ID, MAX_ID, U64_MAX, compareIds, nextId, formatId, addI64 } from './id.js';
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
  /** Idempotent-production tracking (Redis 8.6), created by the first IDMP XADD or XCFGSET; null before. */
  idmp: IdmpState | null = null;
  /**
   * The stream-idmp-duration / stream-idmp-maxsize in force when the stream
   * was created (Redis's streamNew copies them: a later CONFIG SET does not
   * change existing streams); 0 when unknown (a stream loaded or restored),
   * which follows the live directives. XCFGSET's values (idmp) override them.
   */
  idmpDefaultDuration = 0;
  idmpDefaultMaxSize = 0;

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
    this.added(id);
  }

  /** append() for fields packed in one buffer (an XADD with very many fields; see StreamLog.appendPacked). */
  appendPacked(id: StreamId, fields: PackedFields, limits: ChunkLimits): void {
    this.log.appendPacked(id, fields, limits);
    this.added(id);
  }

  private added(id: StreamId): void {
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
   *
   * KEEPREF (the default) trims the log alone. DELREF and ACKED follow Redis
   * 8.2+ as fixed by redis/redis#14623 (src/t_stream.c streamTrim: "if (approx
   * && delete_strategy == DELETE_STRATEGY_KEEPREF) break;", seen in the
   * 2026 sources): `~` no longer stops them at a chunk boundary, every entry
   * in range is looked at; DELREF drops each deleted entry's references
   * (live entries only: tombstones in range keep theirs, redis/redis#15581 is
   * not merged), ACKED deletes the entries no group references and goes on
   * past the referenced ones (it does not stop at the first).
   */
  trim(a: TrimSpec): number {
    if (a.strategy === TrimStrategy.None) return 0;
    if (a.refPolicy === RefPolicy.KeepRef) {
      if (a.strategy === TrimStrategy.MaxLen) return this.log.trimMaxLen(a.maxLen, a.approx, a.limit);
      return this.log.trimMinId(a.minId, a.approx, a.limit);
    }
    const maxLen = a.strategy === TrimStrategy.MaxLen ? a.maxLen : null;
    if (a.refPolicy === RefPolicy.Acked) {
      return this.log.trimEach(maxLen, a.minId, a.limit, (ms, seq) => !this.isReferenced({ ms, seq }));
    }
    return this.log.trimEach(maxLen, a.minId, a.limit, (ms, seq) => {
      this.deleteRefs({ ms, seq });
      return true;
    });
  }

  /**
   * Is the entry still referenced by a consumer group (Redis 8.2+
   * streamEntryIsReferenced): some group has not delivered it yet (its ID is
   * above the smallest last-delivered ID) or has it pending. With no groups
   * (none created, or all destroyed) nothing is referenced: the 2026 sources
   * begin with "if (!s->cgroups || !raxSize(s->cgroups)) return 0;", and
   * redis/redis#14769 (8.6: XTRIM ... ACKED on a stream without groups trims)
   * confirms it. O(groups + groups · log PEL).
   */
  isReferenced(id: StreamId): boolean {
    if (this.groups.size === 0) return false;
    for (const g of this.groups.values()) if (compareIds(id, g.lastId) > 0) return true;
    for (const g of this.groups.values()) if (g.pel.get(id) !== undefined) return true;
    return false;
  }

  /** DELREF: removes the entry from every group's PEL (and its owner's). Returns how many PEL entries went. */
  deleteRefs(id: StreamId): number {
    let n = 0;
    for (const g of this.groups.values()) if (g.deletePending(id) !== undefined) n++;
    return n;
  }

  /**
   * The threshold that makes an exact trim reproduce the state after this one
   * (see rewriteForPropagation). KEEPREF: the length reached (MAXLEN) or the
   * first entry left (MINID), as Redis's streamRewriteTrimArgument. DELREF and
   * ACKED: always a MINID, the first entry the walk did not reach (the caller
   * logs the trim as MINID): ACKED leaves referenced entries behind while it
   * deletes later ones, so neither the length nor the first entry left would
   * replay it (Redis logs those and its replica can diverge; rivulet's AOF
   * must give back the same stream).
   */
  achievedThreshold(a: TrimSpec): string {
    if (a.refPolicy !== RefPolicy.KeepRef) return formatId(this.log.trimStop ?? MAX_ID);
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
    s.idmp = this.idmp === null ? null : this.idmp.clone();
    s.idmpDefaultDuration = this.idmpDefaultDuration;
    s.idmpDefaultMaxSize = this.idmpDefaultMaxSize;
    return s;
  }
}
