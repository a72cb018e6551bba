/**
 * Property tests of the sorted set (lib/types/zset.ts) against a model: a
 * plain array of [member, score] kept sorted by (score, member).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { SortedSet, type ScoreRange, type LexRange, scoreGteMin, scoreLteMax, lexGteMin, lexLteMax } from '../../lib/types/zset.js';

type Pair = [string, number];
const cmp = (a: Pair, b: Pair): number => (a[1] !== b[1] ? a[1] - b[1] : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

class Model {
  items: Pair[] = [];
  set(m: string, s: number): boolean {
    const i = this.items.findIndex((p) => p[0] === m);
    if (i !== -1) this.items.splice(i, 1);
    this.items.push([m, s]);
    this.items.sort(cmp);
    return i === -1;
  }
  delete(m: string): boolean {
    const i = this.items.findIndex((p) => p[0] === m);
    if (i === -1) return false;
    this.items.splice(i, 1);
    return true;
  }
}

// Small alphabets make collisions (same member, same score) frequent; includes bytes above 0x7f.
const member = fc.stringMatching(/^[ab\u00ff\u0000]{0,3}$/);
const score = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-Infinity, Infinity, 0.5, -0.5));
const scoreRange = fc.record({ min: score, max: score, minEx: fc.boolean(), maxEx: fc.boolean() });
const lexBound = fc.oneof(member, fc.constantFrom(-Infinity, Infinity));
const lexRange = fc.record({ min: lexBound, max: lexBound, minEx: fc.boolean(), maxEx: fc.boolean() });

const op = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constant('set' as const), member, score) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('del' as const), member, score) },
);

function check(z: SortedSet, m: Model): void {
  expect([...z.entries()]).to.deep.equal(m.items);
  expect(z.size).to.equal(m.items.length);
  m.items.forEach(([mem, s], i) => {
    expect(z.rank(mem), `rank ${mem}`).to.equal(i);
    expect(z.score(mem)).to.equal(s);
    const node = z.at(i)!;
    expect(node.member).to.equal(mem);
  });
  expect(z.at(m.items.length)).to.equal(null);
  expect(z.at(-1)).to.equal(null);
  // prev links and tail
  const back: Pair[] = [];
  for (let x = z.last(); x !== null; x = x.prev) back.push([x.member, x.score]);
  expect(back.reverse()).to.deep.equal(m.items);
}

describe('SortedSet (skiplist with spans) against a sorted-array model', () => {
  it('add/update/delete keep order, ranks, scores and back links', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const z = new SortedSet();
        const m = new Model();
        for (const [t, mem, s] of ops) {
          if (t === 'set') expect(z.set(mem, s)).to.equal(m.set(mem, s));
          else expect(z.delete(mem)).to.equal(m.delete(mem));
        }
        check(z, m);
      }),
      { numRuns: 300 },
    );
  });

  it('score ranges find the first and last member in range and count them', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(scoreRange, { minLength: 1, maxLength: 5 }), (ops, ranges) => {
        const z = new SortedSet();
        const m = new Model();
        for (const [t, mem, s] of ops) if (t === 'set') { z.set(mem, s); m.set(mem, s); } else { z.delete(mem); m.delete(mem); }
        for (const r of ranges as ScoreRange[]) {
          const inRange = m.items.filter(([, s]) => scoreGteMin(s, r) && scoreLteMax(s, r));
          expect(z.countScore(r)).to.equal(inRange.length);
          expect(z.firstInScore(r)?.member ?? null).to.equal(inRange[0]?.[0] ?? null);
          expect(z.lastInScore(r)?.member ?? null).to.equal(inRange.at(-1)?.[0] ?? null);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lex ranges on equal scores find the first and last member in range and count them', () => {
    fc.assert(
      fc.property(fc.array(member, { maxLength: 30 }), fc.array(lexRange, { minLength: 1, maxLength: 5 }), (members, ranges) => {
        const z = new SortedSet();
        const m = new Model();
        for (const mem of members) { z.set(mem, 0); m.set(mem, 0); }
        for (const r of ranges as LexRange[]) {
          const inRange = m.items.filter(([mem]) => lexGteMin(mem, r) && lexLteMax(mem, r));
          expect(z.countLex(r)).to.equal(inRange.length);
          expect(z.firstInLex(r)?.member ?? null).to.equal(inRange[0]?.[0] ?? null);
          expect(z.lastInLex(r)?.member ?? null).to.equal(inRange.at(-1)?.[0] ?? null);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('clone is independent of the original', () => {
    const z = new SortedSet();
    for (let i = 0; i < 100; i++) z.set('m' + i, i % 7);
    const c = z.clone();
    z.delete('m1');
    z.set('m2', 100);
    expect(c.size).to.equal(100);
    expect(c.score('m2')).to.equal(2);
    expect([...c.entries()].length).to.equal(100);
  });

  it('ranks stay right with many members (several skiplist levels)', () => {
    const z = new SortedSet();
    const n = 5000;
    for (let i = 0; i < n; i++) z.set(String(i).padStart(5, '0'), (i * 7919) % n);
    for (let i = 0; i < n; i += 97) {
      const node = z.at(i)!;
      expect(node.score).to.equal(i);
      expect(z.rank(node.member)).to.equal(i);
    }
    for (let i = 0; i < n; i += 2) z.delete(String(i).padStart(5, '0'));
    expect(z.size).to.equal(n / 2);
    let r = 0;
    for (let x = z.first(); x !== null; x = x.next[0], r++) if (r % 101 === 0) expect(z.rank(x.member)).to.equal(r);
  });
});
