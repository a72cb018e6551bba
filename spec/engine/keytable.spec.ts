/**
 * The database's key table (lib/engine/keytable.ts): one Map entry per key,
 * values and access clocks in slot arrays, SCAN cursors as slot positions.
 * Checked against a plain Map model through random inserts, overwrites and
 * deletes (compactions included), and SCAN's guarantee through every kind
 * of change between steps.
 */
import { expect } from 'chai';
import { KeyTable } from '../../lib/engine/keytable.js';
import { Prng } from '../hardening/prng.js';

const makePrng = (seed: number): (() => number) => {
  const p = new Prng(seed);
  return () => p.next();
};

function scanAll(t: KeyTable<number>, count: number, between: (step: number) => void = () => {}): string[] {
  const seen: string[] = [];
  let cursor = 0;
  let step = 0;
  do {
    cursor = t.scan(cursor, count, (k) => seen.push(k));
    between(step++);
    if (step > 100_000) throw new Error('scan did not end');
  } while (cursor !== 0);
  return seen;
}

describe('KeyTable (one Map entry per key)', () => {
  it('holds exactly what a Map would through random inserts, overwrites and deletes, compactions included', () => {
    const rnd = makePrng(7);
    const t = new KeyTable<number>();
    const model = new Map<string, number>();
    const clocks = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      // Phases that grow and then thin the table, so it compacts several times.
      const grow = Math.floor(i / 2500) % 2 === 0;
      const k = `k${Math.floor(rnd() * 3000)}`;
      if (rnd() < (grow ? 0.75 : 0.1)) {
        const created = t.put(k, i, i % 1000);
        expect(created).to.equal(!model.has(k));
        model.set(k, i);
        clocks.set(k, i % 1000);
      } else {
        expect(t.remove(k)).to.equal(model.delete(k));
        clocks.delete(k);
      }
      if (i % 997 === 0) {
        expect(t.size).to.equal(model.size);
        expect(new Map(t.entries())).to.deep.equal(model);
        for (const [key, at] of clocks) expect(t.lastAccess(key)).to.equal(at);
      }
    }
    expect(new Map(t)).to.deep.equal(model);
    expect([...t.keys()].sort()).to.deep.equal([...model.keys()].sort());
    expect([...t.values()].sort()).to.deep.equal([...model.values()].sort());
    for (const k of model.keys()) expect(t.get(k)).to.equal(model.get(k));
    expect(t.get('missing')).to.equal(undefined);
    expect(t.lastAccess('missing')).to.equal(undefined);
  });

  it('a full SCAN returns every key once when nothing changes, for any COUNT', () => {
    const t = new KeyTable<number>();
    for (let i = 0; i < 1000; i++) t.put(`k${i}`, i, 0);
    for (let i = 0; i < 1000; i += 3) t.remove(`k${i}`);
    for (const count of [1, 7, 100, 5000]) {
      const seen = scanAll(t, count);
      expect(seen.length, `COUNT ${count}`).to.equal(t.size);
      expect(new Set(seen).size).to.equal(t.size);
    }
    expect(t.scan(0, 10, () => {})).to.not.equal(0);
    expect(new KeyTable<number>().scan(0, 10, () => {})).to.equal(0);
  });

  it('SCAN returns every key present for the whole scan while others are added, deleted and the table compacts', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = makePrng(seed);
      const t = new KeyTable<number>();
      for (let i = 0; i < 2000; i++) t.put(`k${i}`, i, 0);
      const stable = new Set<string>();
      for (let i = 0; i < 2000; i += 37) stable.add(`k${i}`);
      let next = 2000;
      const seen = new Set(
        scanAll(t, 20 + Math.floor(rnd() * 40), (step) => {
          // Step 3 deletes most non-stable keys (forcing a compaction that moves the stable ones down past the cursor); every step adds and deletes at random.
          if (step === 3) for (let i = 0; i < 1900; i++) if (!stable.has(`k${i}`)) t.remove(`k${i}`);
          for (let d = Math.floor(rnd() * 10); d > 0; d--) {
            const k = `k${Math.floor(rnd() * next)}`;
            if (!stable.has(k)) t.remove(k);
          }
          for (let a = Math.floor(rnd() * 8); a > 0; a--) t.put(`k${next++}`, 0, 0);
        }),
      );
      expect([...stable].filter((k) => !seen.has(k)), `seed ${seed}`).to.deep.equal([]);
    }
  });

  it('a cursor from before a FLUSH-style clear does not skip keys present from the clear to the end of the scan', () => {
    const t = new KeyTable<number>();
    for (let i = 0; i < 500; i++) t.put(`old${i}`, i, 0);
    const cursor = t.scan(0, 400, () => {});
    expect(cursor).to.not.equal(0);
    t.clear();
    for (let i = 0; i < 10; i++) t.put(`new${i}`, i, 0);
    const seen: string[] = [];
    let c = cursor;
    do c = t.scan(c, 100, (k) => seen.push(k));
    while (c !== 0);
    expect(seen.sort()).to.deep.equal(Array.from({ length: 10 }, (_, i) => `new${i}`).sort());
  });

  it('randomKey picks every key of a thinned table, and only keys the filter accepts', () => {
    const t = new KeyTable<number>();
    for (let i = 0; i < 1000; i++) t.put(`k${i}`, i, 0);
    for (let i = 0; i < 1000; i++) if (i % 50 !== 0) t.remove(`k${i}`);
    const got = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const k = t.randomKey((key) => key !== 'k0');
      if (k !== undefined) got.add(k);
    }
    expect([...got].sort()).to.deep.equal(Array.from({ length: 19 }, (_, i) => `k${(i + 1) * 50}`).sort());
    expect(new KeyTable<number>().randomKey(() => true)).to.equal(undefined);
  });

  it('access clocks beyond 32 bits are clamped instead of wrapping', () => {
    const t = new KeyTable<number>();
    t.put('a', 1, 0);
    t.stamp(t.slotOf('a')!, -(2 ** 40));
    expect(t.lastAccess('a')).to.equal(-(2 ** 31));
    t.stamp(t.slotOf('a')!, 2 ** 40);
    expect(t.lastAccess('a')).to.equal(2 ** 31 - 1);
  });
});
