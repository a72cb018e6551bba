/**
 * ZUNION / ZINTER / ZDIFF numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES],
 * their STORE forms, and ZINTERCARD. Sources may be sorted sets or sets
 * (members of a set score 1). Keys are looked up and type-checked before
 * the options are parsed, as Redis does. A weighted or summed score that is
 * NaN (inf·0, inf + -inf) becomes 0.
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { SortedSet } from '../../lib/types/zset.js';
import { RSet } from '../../lib/types/set.js';
import { parseScore } from '../../lib/types/double.js';
import { lookupRead } from '../keyspace/lookup.js';
import {
  ZDIFFSTORE_SPEC, ZDIFF_SPEC, ZINTERCARD_SPEC, ZINTERSTORE_SPEC, ZINTER_SPEC, ZUNIONSTORE_SPEC, ZUNION_SPEC,
} from './table.js';
import { convertToListpackIfFits, replyMembers, storeZset, zsetLimits } from './support.js';

const WEIGHT_NOT_FLOAT = E.custom('ERR weight value is not a float');
const LIMIT_NEGATIVE = E.custom("ERR LIMIT can't be negative");

type Op = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

interface Source {
  value: SortedSet | RSet | undefined;
  weight: number;
}

const size = (s: Source): number => (s.value === undefined ? 0 : s.value.size);

function scoreIn(s: Source, m: string): number | undefined {
  const v = s.value;
  if (v === undefined) return undefined;
  if (v instanceof SortedSet) return v.score(m);
  return v.has(m) ? 1 : undefined;
}

function* members(s: Source): IterableIterator<[string, number]> {
  const v = s.value;
  if (v === undefined) return;
  if (v instanceof SortedSet) yield* v.entries();
  else for (const m of v.list()) yield [m, 1];
}

function weighted(score: number, w: number): number {
  const v = score * w;
  return Number.isNaN(v) ? 0 : v;
}

function aggregate(acc: number, v: number, how: Aggregate): number {
  if (how === 'sum') {
    const s = acc + v;
    return Number.isNaN(s) ? 0 : s;
  }
  return how === 'min' ? (v < acc ? v : acc) : v > acc ? v : acc;
}

interface Parsed {
  sources: Source[];
  how: Aggregate;
  withScores: boolean;
  limit: number;
}

function parse(c: Session, argv: Buffer[], at: number, op: Op, store: boolean, cardOnly: boolean, name: string): Parsed {
  const n = parseInt64(argv[at]);
  if (n === null) throw E.NOT_INTEGER;
  if (n < 1) throw E.custom(`ERR at least 1 input key is needed for '${name}' command`);
  if (n > argv.length - at - 1) throw E.SYNTAX;
  const numkeys = Number(n);
  const sources: Source[] = [];
  let j = at + 1;
  for (let i = 0; i < numkeys; i++, j++) {
    const v = lookupRead(c, keyOf(argv[j]));
    if (v !== undefined && !(v instanceof SortedSet) && !(v instanceof RSet)) throw E.WRONGTYPE;
    sources.push({ value: v, weight: 1 });
  }
  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    if (op !== 'diff' && !cardOnly && remaining >= numkeys + 1 && isWord(argv[j], 'weights')) {
      j++;
      for (let i = 0; i < numkeys; i++, j++) {
        const w = parseScore(argv[j]);
        if (w === null) throw WEIGHT_NOT_FLOAT;
        sources[i].weight = w;
      }
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && isWord(argv[j], 'aggregate')) {
      const a = argv[j + 1];
      if (isWord(a, 'sum')) how = 'sum';
      else if (isWord(a, 'min')) how = 'min';
      else if (isWord(a, 'max')) how = 'max';
      else throw E.SYNTAX;
      j += 2;
    } else if (!store && !cardOnly && isWord(argv[j], 'withscores')) {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && isWord(argv[j], 'limit')) {
      const l = parseInt64(argv[j + 1]);
      if (l === null || l < 0) throw LIMIT_NEGATIVE;
      limit = typeof l === 'bigint' ? 0 : l;
      j += 2;
    } else {
      throw E.SYNTAX;
    }
  }
  return { sources, how, withScores, limit };
}

/** The result as (member, score) pairs in ascending (score, member) order. */
function compute(op: Op, p: Parsed): SortedSet {
  const out = new SortedSet();
  out.listpack = false;
  const { sources, how } = p;
  if (op === 'diff') {
    const [first, ...rest] = sources;
    for (const [m, s] of members(first)) if (!rest.some((r) => scoreIn(r, m) !== undefined)) out.set(m, s);
    return out;
  }
  // Smallest first, as Redis orders its sources (ties keep argument order).
  const sorted = sources.slice().sort((a, b) => size(a) - size(b));
  if (op === 'inter') {
    if (sorted.some((s) => size(s) === 0)) return out;
    const [first, ...rest] = sorted;
    next: for (const [m, s0] of members(first)) {
      let score = weighted(s0, first.weight);
      for (const r of rest) {
        const s = scoreIn(r, m);
        if (s === undefined) continue next;
        score = aggregate(score, weighted(s, r.weight), how);
      }
      out.set(m, score);
    }
    return out;
  }
  const acc = new Map<string, number>();
  for (const src of sorted) {
    for (const [m, s] of members(src)) {
      const v = weighted(s, src.weight);
      const cur = acc.get(m);
      acc.set(m, cur === undefined ? v : aggregate(cur, v, how));
    }
  }
  for (const [m, s] of acc) out.set(m, s);
  return out;
}

function reading(op: Op, name: string): (c: Session, argv: Buffer[]) => void {
  return (c, argv) => {
    const p = parse(c, argv, 1, op, false, false, name);
    replyMembers(c, [...compute(op, p).entries()], p.withScores);
  };
}

function storing(op: Op, name: string, event: string): (c: Session, argv: Buffer[]) => void {
  return (c, argv) => {
    const p = parse(c, argv, 2, op, true, false, name);
    const z = compute(op, p);
    convertToListpackIfFits(z, zsetLimits(c));
    storeZset(c, keyOf(argv[1]), z, event);
  };
}

export const zunion: CommandSpec = { ...ZUNION_SPEC, handler: reading('union', 'zunion') };
export const zinter: CommandSpec = { ...ZINTER_SPEC, handler: reading('inter', 'zinter') };
export const zdiff: CommandSpec = { ...ZDIFF_SPEC, handler: reading('diff', 'zdiff') };
export const zunionstore: CommandSpec = { ...ZUNIONSTORE_SPEC, handler: storing('union', 'zunionstore', 'zunionstore') };
export const zinterstore: CommandSpec = { ...ZINTERSTORE_SPEC, handler: storing('inter', 'zinterstore', 'zinterstore') };
export const zdiffstore: CommandSpec = { ...ZDIFFSTORE_SPEC, handler: storing('diff', 'zdiffstore', 'zdiffstore') };

export const zintercard: CommandSpec = {
  ...ZINTERCARD_SPEC,
  handler(c, argv) {
    const p = parse(c, argv, 1, 'inter', false, true, 'zintercard');
    const sorted = p.sources.slice().sort((a, b) => size(a) - size(b));
    let count = 0;
    if (!sorted.some((s) => size(s) === 0)) {
      const [first, ...rest] = sorted;
      for (const [m] of members(first)) {
        if (rest.every((r) => scoreIn(r, m) !== undefined)) {
          count++;
          if (p.limit > 0 && count >= p.limit) break;
        }
      }
    }
    c.reply.int(count);
  },
};
