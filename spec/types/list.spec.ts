/**
 * Property tests of the packed list (lib/types/list.ts) against a plain array
 * model: random sequences of pushes, pops, edits, trims and reads at both
 * ends must leave both with the same elements, the same reads, and the
 * listpack size Redis would compute for those elements.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { PackedList } from '../../lib/types/list.js';
import { lpEntrySize, LP_EMPTY_BYTES } from '../../lib/types/listpack.js';

/** Elements: mostly small (integers and short strings), sometimes 2-byte-length and chunk-sized ones. */
const element = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('a', 'b', 'c', '1', '-7', '300', '').map((s) => Buffer.from(s)) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 300 }).map((n) => Buffer.alloc(n, 120)) },
  { weight: 1, arbitrary: fc.integer({ min: 3000, max: 9000 }).map((n) => Buffer.alloc(n, 121)) },
);

type Op =
  | { t: 'pushHead' | 'pushTail'; v: Buffer }
  | { t: 'popHead' | 'popTail' }
  | { t: 'set'; i: number; v: Buffer }
  | { t: 'insert'; i: number; v: Buffer }
  | { t: 'remove'; v: Buffer; limit: number; fromTail: boolean }
  | { t: 'dropHead' | 'dropTail'; n: number }
  | { t: 'visit'; from: number; n: number; reverse: boolean }
  | { t: 'at'; i: number }
  | { t: 'indexOf'; v: Buffer };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constantFrom('pushHead' as const, 'pushTail' as const), v: element }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constantFrom('popHead' as const, 'popTail' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('set' as const), i: fc.integer({ min: -50, max: 50 }), v: element }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('insert' as const), i: fc.nat(60), v: element }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remove' as const), v: element, limit: fc.nat(3), fromTail: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('dropHead' as const, 'dropTail' as const), n: fc.nat(10) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('visit' as const), from: fc.nat(60), n: fc.nat(70), reverse: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('at' as const), i: fc.integer({ min: -60, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('indexOf' as const), v: element }) },
);

const hex = (b: Buffer | undefined): string | undefined => b?.toString('hex');

function expectedLpBytes(model: Buffer[]): number {
  return model.reduce((n, b) => n + lpEntrySize(b, 0, b.length), LP_EMPTY_BYTES);
}

function apply(list: PackedList, model: Buffer[], o: Op): void {
  switch (o.t) {
    case 'pushHead':
      list.pushHead(o.v);
      model.unshift(o.v);
      break;
    case 'pushTail':
      list.pushTail(o.v);
      model.push(o.v);
      break;
    case 'popHead':
      expect(hex(list.popHead())).to.equal(hex(model.shift()));
      break;
    case 'popTail':
      expect(hex(list.popTail())).to.equal(hex(model.pop()));
      break;
    case 'set': {
      const i = o.i < 0 ? o.i + model.length : o.i;
      const ok = i >= 0 && i < model.length;
      expect(list.set(o.i, o.v)).to.equal(ok);
      if (ok) model[i] = o.v;
      break;
    }
    case 'insert': {
      const i = Math.min(o.i, model.length);
      list.insert(i, o.v);
      model.splice(i, 0, o.v);
      break;
    }
    case 'remove': {
      let removed = 0;
      const idx = model.map((_, k) => k);
      if (o.fromTail) idx.reverse();
      const drop = new Set<number>();
      for (const k of idx) {
        if (o.limit !== 0 && removed === o.limit) break;
        if (model[k].equals(o.v)) {
          drop.add(k);
          removed++;
        }
      }
      expect(list.remove(o.v, o.limit, o.fromTail)).to.equal(removed);
      const kept = model.filter((_, k) => !drop.has(k));
      model.length = 0;
      model.push(...kept);
      break;
    }
    case 'dropHead':
      list.dropHead(o.n);
      model.splice(0, o.n);
      break;
    case 'dropTail':
      list.dropTail(o.n);
      model.splice(Math.max(0, model.length - o.n), o.n);
      break;
    case 'visit': {
      const got: string[] = [];
      list.visit(o.from, o.n, o.reverse, (b, off, len) => {
        got.push(b.toString('hex', off, off + len));
      });
      const want: string[] = [];
      if (o.from < model.length) {
        for (let k = 0; k < o.n; k++) {
          const i = o.reverse ? o.from - k : o.from + k;
          if (i < 0 || i >= model.length) break;
          want.push(model[i].toString('hex'));
        }
      }
      expect(got).to.deep.equal(want);
      break;
    }
    case 'at':
      expect(hex(list.at(o.i))).to.equal(hex(model.at(o.i)));
      break;
    case 'indexOf':
      expect(list.indexOf(o.v)).to.equal(model.findIndex((b) => b.equals(o.v)));
      break;
  }
  expect(list.length).to.equal(model.length);
}

describe('PackedList (property tests against an array)', () => {
  it('any sequence of operations keeps the same elements, reads and listpack size as the model', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const list = new PackedList();
        const model: Buffer[] = [];
        for (const o of ops) apply(list, model, o);
        expect(list.toArray().map((b) => b.toString('hex'))).to.deep.equal(model.map((b) => b.toString('hex')));
        expect(list.lpBytes).to.equal(expectedLpBytes(model));
        const copy = list.clone();
        expect(copy.toArray().map((b) => b.toString('hex'))).to.deep.equal(model.map((b) => b.toString('hex')));
      }),
      { numRuns: 300 },
    );
  });

  it('a clone is independent of its source', () => {
    const a = new PackedList();
    for (let i = 0; i < 1000; i++) a.pushTail(Buffer.from(`e${i}`));
    const b = a.clone();
    a.popHead();
    a.set(0, Buffer.from('changed'));
    expect(b.length).to.equal(1000);
    expect(b.at(0)!.toString()).to.equal('e0');
    expect(b.at(1)!.toString()).to.equal('e1');
  });

  it('pushes and pops at both ends of a long list stay O(1): 200k operations finish quickly', () => {
    const l = new PackedList();
    const t0 = Date.now();
    for (let i = 0; i < 100000; i++) {
      l.pushHead(Buffer.from('x'));
      l.pushTail(Buffer.from('y'));
    }
    let wrong = 0;
    for (let i = 0; i < 100000; i++) if (l.popHead()![0] !== 120) wrong++;
    expect(wrong).to.equal(0);
    expect(l.length).to.equal(100000);
    expect(Date.now() - t0).to.be.below(5000);
  });

  it('packs small elements: 100k one-byte elements take under 8 bytes each', () => {
    const l = new PackedList();
    for (let i = 0; i < 100000; i++) l.pushTail(Buffer.from('a'));
    expect(l.memoryUsage() / 100000).to.be.below(8);
  });

  it('rewrites as RPUSH commands of at most 64 elements, in order', () => {
    const l = new PackedList();
    for (let i = 0; i < 130; i++) l.pushTail(Buffer.from(String(i)));
    const cmds = [...l.rewrite(Buffer.from('k'))];
    expect(cmds.map((c) => c.length - 2)).to.deep.equal([64, 64, 2]);
    expect(cmds.flatMap((c) => c.slice(2).map(String))).to.deep.equal(Array.from({ length: 130 }, (_, i) => String(i)));
    expect(String(cmds[0][0])).to.equal('RPUSH');
  });
});
