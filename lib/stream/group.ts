/**
 * Consumer groups: Redis's streamCG, streamConsumer and streamNACK.
 *
 * A group remembers the last ID it delivered, how many entries it has read
 * (for XINFO's lag), its consumers, and the pending entries list (PEL): every
 * entry delivered to a consumer and not yet acknowledged. Each pending entry
 * is one object, indexed twice — in the group's PEL and in its owner's PEL —
 * exactly as Redis shares one streamNACK between two radix trees.
 *
 * Both PELs are `PelIndex`es: entries ordered by ID in a two-level structure
 * (an array of sorted blocks of at most BLOCK_MAX entries). Lookup is a binary
 * search over the blocks' first IDs and then within one block: O(log n).
 * Range scans walk blocks in order with a cursor (no closures, no copying).
 * Appends of new IDs (the common XREADGROUP case) and removals from the head
 * (the common XACK case) touch one block.
 */
import { type StreamId, type I64, MIN_ID, compareIds, addI64, subI64 } from './id.js';

/**
 * A delivered, not yet acknowledged entry (Redis's streamNACK). Read-only
 * outside this module: every change goes through a ConsumerGroup operation,
 * so the invariants below hold on every path.
 */
export interface PendingEntry {
  /** The stream entry ID. Never changes; both PELs are keyed by it. */
  readonly id: StreamId;
  /** Unix ms of the last delivery (XREADGROUP, XCLAIM, XAUTOCLAIM set it; XCLAIM IDLE/TIME may move it back; XNACK sets 0). */
  readonly deliveryTime: number;
  /**
   * Times delivered: 1 on first delivery, +1 per re-delivery (history reads,
   * claims without JUSTID), or set by RETRYCOUNT / XNACK. Exact up to
   * LLONG_MAX (I64) and saturating there: no path wraps it to a negative
   * number (Redis 7.x does, with XCLAIM after RETRYCOUNT 9223372036854775807).
   */
  readonly deliveryCount: I64;
  /** The owner. Invariant: this entry is in exactly `consumer.pel` and in the group's pel, nowhere else. */
  readonly consumer: Consumer;
  /**
   * When XNACK last released it, as the group's release counter (0: never).
   * Released entries (delivery time 0) are claimed in release order, a
   * re-released one last: Redis 8.8's FIFO "NACK zone".
   */
  readonly releaseSeq: number;
}

/** The mutable view the group's operations work on. */
interface Pending {
  readonly id: StreamId;
  deliveryTime: number;
  deliveryCount: I64;
  consumer: Consumer;
  releaseSeq: number;
}

/** Redis's LLONG_MAX, the delivery counter XNACK FATAL sets (Redis 8.8); every increment saturates there. */
export const DELIVERY_COUNT_MAX: I64 = 9223372036854775807n;

/** The counter after one more delivery (saturating at DELIVERY_COUNT_MAX). */
function bumpDeliveryCount(n: I64): I64 {
  if (typeof n === 'number' && n < Number.MAX_SAFE_INTEGER) return n + 1;
  return n >= DELIVERY_COUNT_MAX ? DELIVERY_COUNT_MAX : addI64(n, 1);
}

/** The counter as replies and the AOF show it (it is kept exact: the identity). */
export function deliveryCountReply(n: I64): I64 {
  return n;
}

/** XNACK's modes (Redis 8.8): what releasing an entry does to its delivery counter. */
export const enum NackMode {
  /** The delivery "did not count": counter - 1 (not below 0). */
  Silent,
  /** Counter unchanged. */
  Fail,
  /** Counter LLONG_MAX: the entry is poison. */
  Fatal,
}

/** How a claim changes the delivery counter. */
export const enum ClaimCount {
  /** A delivery: +1, saturating (XCLAIM, XAUTOCLAIM, XREADGROUP CLAIM). */
  Bump,
  /** JUSTID: unchanged. */
  Keep,
}

/** Entries per PEL block: big enough for few blocks, small enough that splicing inside one is cheap. */
const BLOCK_MAX = 128;

/**
 * An ordered set of pending entries keyed by ID.
 *
 * Invariants: `blocks` holds no empty block; each block is sorted by ID and
 * every ID in block i is smaller than every ID in block i+1; `count` is the
 * sum of the block lengths.
 */
export class PelIndex {
  private blocks: PendingEntry[][] = [];
  private count = 0;
  /** Where delete() expects the next in-order deletion (block, index); only a hint, checked before use. */
  private nextDelBlock = 0;
  private nextDelIndex = 0;

  get size(): number {
    return this.count;
  }

  /** The entry with this ID, or undefined. O(log n). */
  get(id: StreamId): PendingEntry | undefined {
    const b = this.blockFor(id);
    if (b < 0) return undefined;
    const block = this.blocks[b];
    const i = lowerBound(block, id);
    return i < block.length && compareIds(block[i].id, id) === 0 ? block[i] : undefined;
  }

  /** Adds an entry; false (and no change) when its ID is already present. O(log n) search + O(BLOCK_MAX) shift. */
  insert(pe: PendingEntry): boolean {
    const blocks = this.blocks;
    const nb = blocks.length;
    if (nb === 0) {
      blocks.push([pe]);
      this.count = 1;
      return true;
    }
    // Fast path: a new ID above everything (XREADGROUP delivering new entries).
    const lastBlock = blocks[nb - 1];
    if (compareIds(lastBlock[lastBlock.length - 1].id, pe.id) < 0) {
      if (lastBlock.length < BLOCK_MAX) lastBlock.push(pe);
      else blocks.push([pe]);
      this.count++;
      return true;
    }
    let b = this.blockFor(pe.id);
    if (b < 0) b = 0;
    const block = blocks[b];
    const i = lowerBound(block, pe.id);
    if (i < block.length && compareIds(block[i].id, pe.id) === 0) return false;
    block.splice(i, 0, pe);
    this.count++;
    if (block.length > BLOCK_MAX) {
      const half = block.length >>> 1;
      blocks.splice(b + 1, 0, block.splice(half));
    }
    return true;
  }

  /**
   * Removes and returns the entry with this ID, or undefined. O(log n +
   * BLOCK_MAX); O(1) to find it when deletions come in ID order (an XACK of
   * the IDs one read delivered): the next one sits where the last one was.
   */
  delete(id: StreamId): PendingEntry | undefined {
    const blocks = this.blocks;
    let b = this.nextDelBlock;
    let i = this.nextDelIndex;
    let block = blocks[b];
    if (block === undefined || i >= block.length || compareIds(block[i].id, id) !== 0) {
      b = this.blockFor(id);
      if (b < 0) return undefined;
      block = blocks[b];
      i = lowerBound(block, id);
      if (i >= block.length || compareIds(block[i].id, id) !== 0) return undefined;
    }
    const pe = block[i];
    if (block.length === 1) blocks.splice(b, 1);
    else if (i === 0) block.shift();
    else {
      // Closing the gap by hand: splice would also allocate an array of the removed element.
      const n = block.length - 1;
      for (let k = i; k < n; k++) block[k] = block[k + 1];
      block.pop();
    }
    this.count--;
    // Where the entry after this one is now (a guess the next delete checks before trusting).
    if (block.length > 0 && i >= block.length && blocks[b] === block) {
      b++;
      i = 0;
    }
    this.nextDelBlock = b;
    this.nextDelIndex = i;
    return pe;
  }

  first(): PendingEntry | undefined {
    return this.blocks.length === 0 ? undefined : this.blocks[0][0];
  }

  last(): PendingEntry | undefined {
    const n = this.blocks.length;
    if (n === 0) return undefined;
    const block = this.blocks[n - 1];
    return block[block.length - 1];
  }

  /** A cursor at the first entry with ID >= `from` (Redis's raxSeek ">="). */
  seek(from: StreamId = MIN_ID): PelCursor {
    const cur = new PelCursor(this.blocks);
    let b = this.blockFor(from);
    if (b < 0) b = 0;
    if (b < this.blocks.length) {
      const block = this.blocks[b];
      const i = lowerBound(block, from);
      cur.block = i < block.length ? b : b + 1;
      cur.index = i < block.length ? i : 0;
    } else cur.block = b;
    return cur;
  }

  /** Drops everything. */
  clear(): void {
    this.blocks = [];
    this.count = 0;
  }

  /** Internal consistency check for tests; throws on a broken invariant. */
  check(): void {
    let n = 0;
    let prev: StreamId | null = null;
    for (const block of this.blocks) {
      if (block.length === 0) throw new Error('empty PEL block');
      for (const pe of block) {
        if (prev !== null && compareIds(prev, pe.id) >= 0) throw new Error('PEL out of order');
        prev = pe.id;
        n++;
      }
    }
    if (n !== this.count) throw new Error('PEL count');
  }

  /** Index of the last block whose first ID <= id, or -1 when id is below every block (or there are none). */
  private blockFor(id: StreamId): number {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIds(blocks[mid][0].id, id) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }
}

/**
 * An in-order walk over a PelIndex. Valid until the index is modified: a
 * caller that deletes while scanning (XAUTOCLAIM) re-seeks after the deletion,
 * as Redis re-seeks its rax iterator.
 */
export class PelCursor {
  block = 0;
  index = 0;
  constructor(private readonly blocks: PendingEntry[][]) {}

  /** The next entry, or null at the end. */
  next(): PendingEntry | null {
    const blocks = this.blocks;
    if (this.block >= blocks.length) return null;
    const block = blocks[this.block];
    const pe = block[this.index++];
    if (this.index >= block.length) {
      this.block++;
      this.index = 0;
    }
    return pe;
  }

  /** The entry next() would return, without advancing. */
  peek(): PendingEntry | null {
    return this.block < this.blocks.length ? this.blocks[this.block][this.index] : null;
  }
}

/** Position of the first entry with ID >= id in a sorted block. */
function lowerBound(block: PendingEntry[], id: StreamId): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(block[mid].id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A consumer of a group (Redis's streamConsumer). */
export class Consumer {
  /** Entries delivered to this consumer and not acknowledged: a view onto the same objects as the group's PEL. */
  readonly pel = new PelIndex();
  constructor(
    /** The name's bytes as a latin1 string (binary-safe, compares bytewise). */
    readonly name: string,
    /** Unix ms of the last attempted interaction (XREADGROUP, XCLAIM, XAUTOCLAIM), successful or not. Set at creation. */
    public seenTime: number,
    /** Unix ms of the last successful interaction (an entry delivered or claimed), -1 when none yet. */
    public activeTime = -1,
  ) {}
}

/** Redis's SCG_INVALID_ENTRIES_READ: the group's read counter is unknown. */
export const ENTRIES_READ_UNKNOWN = -1;

/** Bytes per pending entry (the object, its ID object and two index slots), for MEMORY USAGE. */
const PENDING_COST = 96;
const CONSUMER_COST = 160;
const GROUP_COST = 160;

export class ConsumerGroup {
  /** The group PEL: every pending entry of every consumer, by ID. Invariant: its size is the sum of the consumers' PEL sizes. */
  readonly pel = new PelIndex();
  /** Consumers by name (latin1 string of the name's bytes). Listings sort names bytewise, as Redis's rax does. */
  readonly consumers = new Map<string, Consumer>();
  /**
   * The owner of entries released by XNACK (Redis 8.8's NULL consumer): not
   * in `consumers`, so no listing shows it and no command can name it, but
   * its `pel` view keeps the two-PEL invariant; XPENDING shows its name "".
   * CLAIM, XCLAIM and XAUTOCLAIM take entries from it like from anyone.
   */
  readonly unowned = new Consumer('', 0);
  /** XNACK releases so far: each released entry's releaseSeq. */
  private releases = 0;

  constructor(
    /** The group name as a latin1 string. */
    readonly name: string,
    /** The last ID delivered to the group by `>` reads (or set by CREATE/SETID/XCLAIM LASTID). New entries are those above it. */
    public lastId: StreamId = MIN_ID,
    /**
     * The logical read counter: how many entries of the stream the group has
     * read, counting from the first entry ever added, when known; -1
     * (ENTRIES_READ_UNKNOWN) when deletions made it unknowable. See lag.ts.
     */
    public entriesRead: I64 = ENTRIES_READ_UNKNOWN,
  ) {}

  getConsumer(name: string): Consumer | undefined {
    return this.consumers.get(name);
  }

  /** Creates a consumer (XGROUP CREATECONSUMER); returns null when the name is taken. O(1). */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const c = new Consumer(name, now);
    this.consumers.set(name, c);
    return c;
  }

  /**
   * The consumer a reading or claiming command acts as (XREADGROUP, XCLAIM,
   * XAUTOCLAIM): the existing one, or a new one; either way its seen-time
   * becomes `now`. `created` tells the caller to notify and log the creation. O(1).
   */
  openConsumer(name: string, now: number): { consumer: Consumer; created: boolean } {
    let consumer = this.consumers.get(name);
    const created = consumer === undefined;
    if (consumer === undefined) {
      consumer = new Consumer(name, now);
      this.consumers.set(name, consumer);
    }
    consumer.seenTime = now;
    return { consumer, created };
  }

  /** Removes a consumer and its pending entries (from the group PEL too); returns how many were pending. */
  deleteConsumer(consumer: Consumer): number {
    const pending = consumer.pel.size;
    const cur = consumer.pel.seek();
    for (let pe = cur.next(); pe !== null; pe = cur.next()) this.pel.delete(pe.id);
    consumer.pel.clear();
    this.consumers.delete(consumer.name);
    return pending;
  }

  /** Consumers sorted by name bytewise. */
  sortedConsumers(): Consumer[] {
    const list = Array.from(this.consumers.values());
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return list;
  }

  /**
   * Recreates a pending entry exactly as recorded (RDB/RESTORE load, clone):
   * no delivery semantics. The ID must not be pending. O(log n).
   */
  addPending(id: StreamId, consumer: Consumer, deliveryTime: number, deliveryCount: I64 = 1): PendingEntry {
    const pe: Pending = { id, deliveryTime, deliveryCount, consumer, releaseSeq: 0 };
    this.pel.insert(pe);
    consumer.pel.insert(pe);
    return pe;
  }

  /**
   * A first delivery of entry `id` to `consumer` (XREADGROUP `>`): a new
   * pending entry with counter 1 — or, when it is already pending (the group
   * was moved back with SETID), that entry handed to `consumer` as a first
   * delivery again. Sets the consumer's active-time. O(log n).
   */
  deliver(id: StreamId, consumer: Consumer, now: number): PendingEntry {
    consumer.activeTime = now;
    // New entries are above everything pending (the usual case): no lookup needed.
    const last = this.pel.last();
    const pe = last !== undefined && compareIds(id, last.id) <= 0 ? (this.pel.get(id) as Pending | undefined) : undefined;
    if (pe === undefined) return this.addPending(id, consumer, now, 1);
    this.move(pe, consumer);
    pe.deliveryTime = now;
    pe.deliveryCount = 1;
    return pe;
  }

  /**
   * A re-delivery from the consumer's own history (XREADGROUP with an ID):
   * delivery time now, counter +1 (saturating). O(1).
   */
  redeliver(entry: PendingEntry, now: number): void {
    const pe = entry as Pending;
    pe.deliveryTime = now;
    pe.deliveryCount = bumpDeliveryCount(pe.deliveryCount);
  }

  /**
   * A claim (XCLAIM, XAUTOCLAIM, XREADGROUP CLAIM): `to` becomes the owner
   * and is active at `now`; the delivery time becomes `deliveryTime`; the
   * counter becomes `retryCount` when that is >= 0, else follows `count`
   * (+1 saturating, or unchanged for JUSTID). O(log n).
   */
  claim(entry: PendingEntry, to: Consumer, deliveryTime: number, now: number, count: ClaimCount, retryCount: I64 = -1): void {
    const pe = entry as Pending;
    this.move(pe, to);
    to.activeTime = now;
    pe.deliveryTime = deliveryTime;
    if (retryCount >= 0) pe.deliveryCount = retryCount;
    else if (count === ClaimCount.Bump) pe.deliveryCount = bumpDeliveryCount(pe.deliveryCount);
  }

  /**
   * XCLAIM FORCE of an entry nobody has pending: a new pending entry owned
   * by `to` as if delivered once, which the claim that follows then counts. O(log n).
   */
  forcePending(id: StreamId, to: Consumer, now: number): PendingEntry {
    return this.addPending(id, to, now, 1);
  }

  /**
   * XNACK: releases a pending entry to the group (the unowned consumer),
   * delivery time 0 so any min-idle-time claims it at once; the counter is
   * `retryCount` when >= 0, else adjusted by `mode`. O(log n).
   */
  nack(entry: PendingEntry, mode: NackMode, retryCount: I64 = -1): void {
    const pe = entry as Pending;
    this.move(pe, this.unowned);
    pe.deliveryTime = 0;
    pe.releaseSeq = ++this.releases;
    if (retryCount >= 0) pe.deliveryCount = retryCount;
    else if (mode === NackMode.Silent) pe.deliveryCount = pe.deliveryCount > 0 ? subI64(pe.deliveryCount, 1) : 0;
    else if (mode === NackMode.Fatal) pe.deliveryCount = DELIVERY_COUNT_MAX;
  }

  /** XNACK FORCE of an entry not pending: a new unowned entry, counter `retryCount`, or LLONG_MAX (FATAL) or 0. O(log n). */
  nackNew(id: StreamId, mode: NackMode, retryCount: I64 = -1): PendingEntry {
    const initial = retryCount >= 0 ? retryCount : mode === NackMode.Fatal ? DELIVERY_COUNT_MAX : 0;
    const pe = this.addPending(id, this.unowned, 0, initial) as Pending;
    pe.releaseSeq = ++this.releases;
    return pe;
  }

  /**
   * Removes a pending entry from both PELs (XACK, XACKDEL, DELREF, and the
   * claims' clean-up of entries deleted from the stream). Returns it, or
   * undefined when it was not pending. O(log n).
   */
  deletePending(id: StreamId): PendingEntry | undefined {
    const pe = this.pel.delete(id);
    if (pe !== undefined) pe.consumer.pel.delete(id);
    return pe;
  }

  /** Moves a pending entry to another consumer's PEL (no-op when it already owns it). */
  private move(pe: Pending, to: Consumer): void {
    if (pe.consumer === to) return;
    pe.consumer.pel.delete(pe.id);
    pe.consumer = to;
    to.pel.insert(pe);
  }

  memoryUsage(): number {
    let n = GROUP_COST + this.name.length + this.pel.size * PENDING_COST;
    for (const c of this.consumers.values()) n += CONSUMER_COST + c.name.length;
    return n;
  }

  /** A deep copy: new consumers and new pending-entry objects, shared by the copy's two PEL views as in the original. */
  clone(): ConsumerGroup {
    const g = new ConsumerGroup(this.name, this.lastId, this.entriesRead);
    for (const c of this.sortedConsumers()) {
      const d = new Consumer(c.name, c.seenTime, c.activeTime);
      g.consumers.set(d.name, d);
    }
    const cur = this.pel.seek();
    for (let pe = cur.next(); pe !== null; pe = cur.next()) {
      const owner = pe.consumer === this.unowned ? g.unowned : g.consumers.get(pe.consumer.name)!;
      (g.addPending(pe.id, owner, pe.deliveryTime, pe.deliveryCount) as Pending).releaseSeq = pe.releaseSeq;
    }
    g.releases = this.releases;
    return g;
  }
}
