import { expect } from 'chai';
import { ClaimCount, ConsumerGroup, DELIVERY_COUNT_MAX, NackMode, PelIndex, type PendingEntry } from '../../lib/stream/group.js';
import { type StreamId, compareIds, U64_MAX } from '../../lib/stream/id.js';
import { Stream } from '../../lib/stream/stream.js';
import { estimateDistanceFromFirstEverEntry, groupLag, rangeHasTombstones } from '../../lib/stream/lag.js';

/** A deterministic pseudo-random sequence (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const idOf = (n: number): StreamId => ({ ms: Math.floor(n / 7), seq: n % 7 });

describe('PelIndex', () => {
  it('stays ordered and consistent with a reference set under random inserts, deletes and seeks', () => {
    const rand = rng(42);
    const pel = new PelIndex();
    const ref = new Map<number, PendingEntry>();
    const owner = new ConsumerGroup('g').createConsumer('c', 0)!;
    for (let step = 0; step < 20000; step++) {
      const n = Math.floor(rand() * 3000);
      const op = rand();
      if (op < 0.55) {
        const pe: PendingEntry = { id: idOf(n), deliveryTime: 0, deliveryCount: 1, consumer: owner, releaseSeq: 0 };
        expect(pel.insert(pe)).to.equal(!ref.has(n));
        if (!ref.has(n)) ref.set(n, pe);
      } else if (op < 0.85) {
        const got = pel.delete(idOf(n));
        expect(got).to.equal(ref.get(n));
        ref.delete(n);
      } else if (op < 0.9) {
        // A run of deletions in ID order (an XACK of one read's IDs), some of them absent.
        const run = 1 + Math.floor(rand() * 100);
        for (let k = n; k < n + run; k++) {
          expect(pel.delete(idOf(k))).to.equal(ref.get(k));
          ref.delete(k);
        }
      } else {
        expect(pel.get(idOf(n))).to.equal(ref.get(n));
      }
      if (step % 997 === 0) {
        pel.check();
        const from = Math.floor(rand() * 3000);
        const want = [...ref.keys()].filter((k) => k >= from).sort((a, b) => a - b);
        const cur = pel.seek(idOf(from));
        const got: number[] = [];
        for (let pe = cur.next(); pe !== null; pe = cur.next()) got.push(Number(pe.id.ms) * 7 + Number(pe.id.seq));
        expect(got).to.deep.equal(want);
      }
    }
    pel.check();
    expect(pel.size).to.equal(ref.size);
    const sorted = [...ref.keys()].sort((a, b) => a - b);
    expect(compareIds(pel.first()!.id, idOf(sorted[0]))).to.equal(0);
    expect(compareIds(pel.last()!.id, idOf(sorted[sorted.length - 1]))).to.equal(0);
  });

  it('appends in order in O(1) blocks and orders IDs above 2^53 exactly', () => {
    const pel = new PelIndex();
    const owner = new ConsumerGroup('g').createConsumer('c', 0)!;
    for (let i = 0; i < 1000; i++) pel.insert({ id: { ms: i, seq: 0 }, deliveryTime: 0, deliveryCount: 1, consumer: owner, releaseSeq: 0 });
    pel.insert({ id: { ms: U64_MAX, seq: U64_MAX }, deliveryTime: 0, deliveryCount: 1, consumer: owner, releaseSeq: 0 });
    pel.insert({ id: { ms: U64_MAX, seq: 5 }, deliveryTime: 0, deliveryCount: 1, consumer: owner, releaseSeq: 0 });
    pel.check();
    expect(pel.last()!.id).to.deep.equal({ ms: U64_MAX, seq: U64_MAX });
    expect(pel.seek({ ms: 2n ** 60n, seq: 0 }).next()!.id).to.deep.equal({ ms: U64_MAX, seq: 5 });
    expect(pel.seek({ ms: U64_MAX, seq: U64_MAX }).peek()!.id.seq).to.equal(U64_MAX);
  });
});

describe('ConsumerGroup', () => {
  it('keeps the group PEL and the consumers PELs as two views of the same entries', () => {
    const g = new ConsumerGroup('g');
    const a = g.createConsumer('a', 1)!;
    const b = g.createConsumer('b', 1)!;
    expect(g.createConsumer('a', 2)).to.equal(null);
    for (let i = 1; i <= 10; i++) g.addPending({ ms: i, seq: 0 }, i % 2 ? a : b, 100, 1);
    const pe = g.pel.get({ ms: 3, seq: 0 })!;
    g.claim(pe, b, 200, 200, ClaimCount.Keep);
    expect(a.pel.get(pe.id)).to.equal(undefined);
    expect(b.pel.get(pe.id)).to.equal(pe);
    expect(g.deletePending({ ms: 3, seq: 0 })).to.equal(pe);
    expect(b.pel.get(pe.id)).to.equal(undefined);
    expect(g.deleteConsumer(a)).to.equal(4);
    expect(g.pel.size).to.equal(5);
    expect(b.pel.size).to.equal(5);
    g.pel.check();
  });

  it('clone() is deep: changing the copy leaves the original alone', () => {
    const g = new ConsumerGroup('g', { ms: 5, seq: 0 }, 5);
    const a = g.createConsumer('a', 1)!;
    a.activeTime = 7;
    g.addPending({ ms: 1, seq: 0 }, a, 100, 3);
    const copy = g.clone();
    const ca = copy.getConsumer('a')!;
    expect([ca.seenTime, ca.activeTime]).to.deep.equal([1, 7]);
    const cpe = copy.pel.get({ ms: 1, seq: 0 })!;
    expect(cpe.consumer).to.equal(ca);
    expect(ca.pel.get(cpe.id)).to.equal(cpe);
    copy.claim(cpe, ca, 200, 200, ClaimCount.Bump, 99);
    copy.deletePending({ ms: 1, seq: 0 });
    copy.lastId = { ms: 9, seq: 9 };
    expect(g.pel.get({ ms: 1, seq: 0 })!.deliveryCount).to.equal(3);
    expect(a.pel.size).to.equal(1);
    expect(g.lastId).to.deep.equal({ ms: 5, seq: 0 });
  });

  it('every delivery operation saturates the delivery counter at LLONG_MAX instead of wrapping', () => {
    const g = new ConsumerGroup('g');
    const { consumer: a } = g.openConsumer('a', 1);
    const { consumer: b, created } = g.openConsumer('b', 1);
    expect(created).to.equal(true);
    expect(g.openConsumer('b', 5)).to.deep.include({ consumer: b, created: false });
    expect(b.seenTime).to.equal(5);
    const almost = 9223372036854775806n;
    const paths: [string, (pe: PendingEntry) => void][] = [
      ['claim (XCLAIM, XAUTOCLAIM, XREADGROUP CLAIM)', (pe) => g.claim(pe, b, 10, 10, ClaimCount.Bump)],
      ['redeliver (XREADGROUP history)', (pe) => g.redeliver(pe, 10)],
    ];
    let ms = 1;
    for (const [name, op] of paths) {
      const pe = g.addPending({ ms: ms++, seq: 0 }, a, 0, almost);
      op(pe);
      expect(pe.deliveryCount, `${name}: LLONG_MAX-1 + 1`).to.equal(DELIVERY_COUNT_MAX);
      op(pe);
      expect(pe.deliveryCount, `${name}: LLONG_MAX + 1`).to.equal(DELIVERY_COUNT_MAX);
    }
    // A FATAL NACK sets LLONG_MAX; the next claim keeps it there.
    const pe = g.addPending({ ms: ms++, seq: 0 }, a, 0, 3);
    g.nack(pe, NackMode.Fatal);
    expect([pe.consumer, pe.deliveryTime, pe.deliveryCount]).to.deep.equal([g.unowned, 0, DELIVERY_COUNT_MAX]);
    g.claim(pe, a, 10, 10, ClaimCount.Bump);
    expect(pe.deliveryCount).to.equal(DELIVERY_COUNT_MAX);
    g.pel.check();
  });

  it('deliver() makes a first delivery: a new entry, or an already pending one handed over with counter 1', () => {
    const g = new ConsumerGroup('g');
    const { consumer: a } = g.openConsumer('a', 1);
    const { consumer: b } = g.openConsumer('b', 1);
    const first = g.deliver({ ms: 1, seq: 0 }, a, 50);
    expect([first.consumer, first.deliveryTime, first.deliveryCount, a.activeTime]).to.deep.equal([a, 50, 1, 50]);
    g.redeliver(first, 60);
    const again = g.deliver({ ms: 1, seq: 0 }, b, 70);
    expect(again).to.equal(first);
    expect([again.consumer, again.deliveryTime, again.deliveryCount, a.pel.size, b.pel.size]).to.deep.equal([b, 70, 1, 0, 1]);
  });

  it('memoryUsage() grows with pending entries and consumers', () => {
    const g = new ConsumerGroup('g');
    const empty = g.memoryUsage();
    const a = g.createConsumer('a', 0)!;
    const oneConsumer = g.memoryUsage();
    for (let i = 0; i < 100; i++) g.addPending({ ms: i, seq: 0 }, a, 0, 1);
    expect(oneConsumer).to.be.greaterThan(empty);
    expect(g.memoryUsage()).to.be.greaterThan(oneConsumer + 100 * 32);
  });
});

describe('lag rules (Redis 7 streamEstimateDistanceFromFirstEverEntry)', () => {
  const limits = { maxEntries: 100, maxBytes: 4096 };
  const make = (n: number): Stream => {
    const s = new Stream();
    for (let i = 1; i <= n; i++) s.append({ ms: i, seq: 0 }, [Buffer.from('f'), Buffer.from('v')], limits);
    return s;
  };

  it('knows the distance at the edges and not in a fragmented middle', () => {
    const s = make(5);
    expect(estimateDistanceFromFirstEverEntry(s, { ms: 0, seq: 0 })).to.equal(0);
    expect(estimateDistanceFromFirstEverEntry(s, { ms: 1, seq: 0 })).to.equal(1);
    expect(estimateDistanceFromFirstEverEntry(s, { ms: 5, seq: 0 })).to.equal(5);
    expect(estimateDistanceFromFirstEverEntry(s, { ms: 3, seq: 0 })).to.equal(-1);
    expect(estimateDistanceFromFirstEverEntry(s, { ms: 6, seq: 0 })).to.equal(-1);
    s.deleteIds([{ ms: 4, seq: 0 }]);
    expect(rangeHasTombstones(s, { ms: 2, seq: 0 }, null)).to.equal(true);
    expect(rangeHasTombstones(s, { ms: 5, seq: 0 }, null)).to.equal(false);
    const g = new ConsumerGroup('g', { ms: 2, seq: 0 }, 2);
    expect(groupLag(s, g), 'a tombstone ahead makes the lag unknown').to.equal(null);
    g.lastId = { ms: 5, seq: 0 };
    g.entriesRead = 5;
    expect(groupLag(s, g)).to.equal(0);
  });
});
