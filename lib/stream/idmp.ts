/**
 * Idempotent production (Redis 8.6): per stream, per producer ID (pid), the
 * recent idempotent IDs (iids) XADD IDMP/IDMPAUTO recorded, each with the
 * ID of the entry it added. A duplicate (pid, iid) gets that original ID back
 * and adds nothing — also when the entry was deleted since (redis/docs #2923).
 *
 * Invariants:
 * - `producers` maps pid → (iid → record); each inner Map iterates in
 *   recording order, oldest first, and its records' `at` never decrease, so
 *   expiry and IDMP-MAXSIZE eviction both drop from the front. An emptied
 *   producer is removed.
 * - A record is live while at + duration > now; lookups and counts prune
 *   expired ones first, so nothing older than the duration is ever answered.
 * - `duration`/`maxSize` are null until XCFGSET sets them: the stream then
 *   follows the stream-idmp-duration / stream-idmp-maxsize directives.
 * - `iidsAdded` / `iidsDuplicates` are lifetime counters (XINFO STREAM).
 */
import type { StreamId } from './id.js';

export interface IdmpRecord {
  /** The entry the (pid, iid) added. */
  readonly id: StreamId;
  /** Unix ms when it was recorded. */
  readonly at: number;
}

/** Per-record bytes for MEMORY USAGE (Map slot, record object, ID). */
const RECORD_COST = 96;

export class IdmpState {
  /** Seconds each iid is kept (XCFGSET IDMP-DURATION), null = the server directive. */
  duration: number | null = null;
  /** Most recent iids kept per producer (XCFGSET IDMP-MAXSIZE), null = the server directive. */
  maxSize: number | null = null;
  readonly producers = new Map<string, Map<string, IdmpRecord>>();
  iidsAdded = 0;
  iidsDuplicates = 0;

  /** The live record of (pid, iid), pruning the producer's expired ones first. O(expired + 1). */
  lookup(pid: string, iid: string, now: number, durationMs: number): IdmpRecord | undefined {
    const m = this.producers.get(pid);
    if (m === undefined) return undefined;
    this.prune(pid, m, now, durationMs);
    return m.get(iid);
  }

  /** Records (pid, iid) → id at `now`, evicting the producer's oldest beyond maxSize. */
  record(pid: string, iid: string, id: StreamId, now: number, durationMs: number, maxSize: number): void {
    let m = this.producers.get(pid);
    if (m !== undefined) this.prune(pid, m, now, durationMs);
    m = this.producers.get(pid); // pruning may have dropped an emptied producer
    if (m === undefined) this.producers.set(pid, (m = new Map()));
    m.delete(iid); // a re-recorded iid moves to the back
    m.set(iid, { id, at: now });
    while (m.size > maxSize) m.delete(m.keys().next().value!);
  }

  /** Producers and iids currently tracked (expired ones pruned). O(pids + expired). */
  counts(now: number, durationMs: number): { pids: number; iids: number } {
    let iids = 0;
    for (const [pid, m] of this.producers) {
      this.prune(pid, m, now, durationMs);
      iids += m.size;
    }
    return { pids: this.producers.size, iids };
  }

  /** XCFGSET: forgets every producer's map. */
  clearMaps(): void {
    this.producers.clear();
  }

  memoryUsage(): number {
    let n = 64;
    for (const [pid, m] of this.producers) {
      n += 64 + pid.length;
      for (const iid of m.keys()) n += RECORD_COST + iid.length;
    }
    return n;
  }

  clone(): IdmpState {
    const out = new IdmpState();
    out.duration = this.duration;
    out.maxSize = this.maxSize;
    out.iidsAdded = this.iidsAdded;
    out.iidsDuplicates = this.iidsDuplicates;
    for (const [pid, m] of this.producers) out.producers.set(pid, new Map(m));
    return out;
  }

  private prune(pid: string, m: Map<string, IdmpRecord>, now: number, durationMs: number): void {
    for (const [iid, rec] of m) {
      if (rec.at + durationMs > now) break;
      m.delete(iid);
    }
    if (m.size === 0) this.producers.delete(pid);
  }
}

/**
 * IDMPAUTO's iid: a digest of the set of field-value pairs — their order
 * does not matter, as in Redis 8.6 (pairs are sorted bytewise first) —
 * with lengths included, so `ab c` and `a bc` differ. Redis's own hash is not
 * documented; the iid never leaves the server except in rivulet's AOF
 * rewrite records.
 */
export function autoIid(fields: Buffer[]): string {
  const pairs: [Buffer, Buffer][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i], fields[i + 1]]);
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]) || Buffer.compare(a[1], b[1]));
  // node:crypto is taken on first use, not imported: loading it costs every start-up (bench/PROFILE.md).
  const h = process.getBuiltinModule('node:crypto').createHash('sha256');
  const len = Buffer.allocUnsafe(4);
  for (const pair of pairs) {
    for (const f of pair) {
      len.writeUInt32BE(f.length);
      h.update(len);
      h.update(f);
    }
  }
  return h.digest().subarray(0, 16).toString('latin1');
}
