/**
 * A stream value: the ID log plus its metadata and consumer groups.
 *
 * Invariants:
 * - `lastId` >= the ID of every entry ever added (also after deletions and
 *   XSETID); XADD must go above it.
 * - `length` of the log counts live entries only.
 * - `maxDeletedId` is the greatest ID ever removed by XDEL/XTRIM (0-0 if none).
 * - `entriesAdded` counts every entry ever appended (XSETID may raise it).
 * - groups are kept by name; listings (XINFO GROUPS) sort names bytewise, as
 *   Redis's radix tree does.
 */
import type { TypedValue } from '../keyspace.js';
import { StreamLog } from './log.js';
import { type StreamId, MIN_ID } from './id.js';
import type { ConsumerGroup } from './group.js';

export class Stream implements TypedValue {
  readonly kind = 'stream';
  readonly encoding = 'stream';
  /** Entries, ordered by ID. */
  log = new StreamLog();
  /** The ID of the last entry ever added (or set by XSETID). */
  lastId: StreamId = MIN_ID;
  /** The greatest ID ever deleted, 0-0 when nothing was. */
  maxDeletedId: StreamId = MIN_ID;
  /** Count of all entries ever added. */
  entriesAdded = 0;
  /** Consumer groups by name (latin1 string of the name's bytes). */
  readonly groups = new Map<string, ConsumerGroup>();

  get length(): number {
    return this.log.length;
  }

  memoryUsage(): number {
    let n = 64 + this.log.memoryUsage();
    for (const g of this.groups.values()) n += g.memoryUsage();
    return n;
  }

  clone(): Stream {
    const s = new Stream();
    s.log = this.log.clone();
    s.lastId = this.lastId;
    s.maxDeletedId = this.maxDeletedId;
    s.entriesAdded = this.entriesAdded;
    for (const [name, g] of this.groups) s.groups.set(name, g.clone());
    return s;
  }
}
