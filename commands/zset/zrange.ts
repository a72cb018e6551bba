/**
 * ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES],
 * the legacy ZRANGEBYSCORE / ZREVRANGE / ZREVRANGEBYSCORE / ZRANGEBYLEX /
 * ZREVRANGEBYLEX, and ZRANGESTORE, all through one parser and one range
 * walk, as Redis's zrangeGenericCommand. Ranges cost O(log n + m).
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, type LexRange, type ScoreRange, type SortedSet, type ZNode } from '../../lib/types/zset.js';
import {
  ZRANGEBYLEX_SPEC, ZRANGEBYSCORE_SPEC, ZRANGESTORE_SPEC, ZRANGE_SPEC, ZREVRANGEBYLEX_SPEC, ZREVRANGEBYSCORE_SPEC, ZREVRANGE_SPEC,
} from './table.js';
import { buildZset, lexRangeArgs, readZset, replyMembers, scoreRangeArgs, storeZset, zsetLimits } from './support.js';

const LIMIT_NEEDS_BY = E.custom('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
const WITHSCORES_BYLEX = E.custom('ERR syntax error, WITHSCORES not supported in combination with BYLEX');

type RangeType = 'rank' | 'score' | 'lex';

export interface RangeSpec {
  type: RangeType;
  reverse: boolean;
  start: number;
  end: number;
  score: ScoreRange | null;
  lex: LexRange | null;
  offset: number;
  /** -1: no limit. */
  limit: number;
}

/** A LONG argument clamped to the safe-integer range (ranks beyond it behave the same). */
function longArg(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  if (typeof v === 'bigint') return v < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return v;
}

/** The members a range selects, with their scores, in reply order. */
export function selectRange(z: SortedSet, r: RangeSpec): [string, number][] {
  const out: [string, number][] = [];
  if (r.type === 'rank') {
    const n = z.size;
    let start = r.start;
    let end = r.end;
    if (start < 0) start += n;
    if (end < 0) end += n;
    if (start < 0) start = 0;
    if (start > end || start >= n) return out;
    if (end >= n) end = n - 1;
    let node = r.reverse ? z.at(n - 1 - start) : z.at(start);
    for (let i = start; i <= end && node !== null; i++) {
      out.push([node.member, node.score]);
      node = r.reverse ? node.prev : node.next[0];
    }
    return out;
  }
  let node: ZNode | null;
  let inRange: (x: ZNode) => boolean;
  if (r.type === 'score') {
    const sr = r.score!;
    node = r.reverse ? z.lastInScore(sr) : z.firstInScore(sr);
    inRange = r.reverse ? (x) => scoreGteMin(x.score, sr) : (x) => scoreLteMax(x.score, sr);
  } else {
    const lr = r.lex!;
    node = r.reverse ? z.lastInLex(lr) : z.firstInLex(lr);
    inRange = r.reverse ? (x) => lexGteMin(x.member, lr) : (x) => lexLteMax(x.member, lr);
  }
  // A negative offset skips everything, as Redis's `while (ln && offset--)` does.
  if (r.offset < 0) return out;
  for (let offset = r.offset; node !== null && offset > 0; offset--) node = r.reverse ? node.prev : node.next[0];
  let limit = r.limit;
  while (node !== null && limit !== 0) {
    if (!inRange(node)) break;
    out.push([node.member, node.score]);
    node = r.reverse ? node.prev : node.next[0];
    limit--;
  }
  return out;
}

/**
 * Parses a range command from argv[at] (the source key) on: the key, the
 * two bounds, then the options. `fixedType`/`fixedReverse` are set by the
 * legacy commands, which then refuse BYSCORE/BYLEX/REV.
 */
export function parseRange(argv: Buffer[], at: number, fixedType: RangeType | null, fixedReverse: boolean | null, store: boolean): { spec: RangeSpec; withScores: boolean } {
  let type: RangeType | null = fixedType;
  let reverse: boolean | null = fixedReverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = at + 3; j < argv.length; j++) {
    const left = argv.length - j - 1;
    if (!store && isWord(argv[j], 'withscores')) {
      withScores = true;
    } else if (isWord(argv[j], 'limit') && left >= 2) {
      offset = longArg(argv[j + 1]);
      limit = longArg(argv[j + 2]);
      j += 2;
    } else if (reverse === null && fixedReverse === null && isWord(argv[j], 'rev')) {
      reverse = true;
    } else if (type === null && fixedType === null && isWord(argv[j], 'bylex')) {
      type = 'lex';
    } else if (type === null && fixedType === null && isWord(argv[j], 'byscore')) {
      type = 'score';
    } else {
      throw E.SYNTAX;
    }
  }
  type ??= 'rank';
  reverse ??= false;
  if (limit !== -1 && type === 'rank') throw LIMIT_NEEDS_BY;
  if (withScores && type === 'lex') throw WITHSCORES_BYLEX;
  let minArg = argv[at + 1];
  let maxArg = argv[at + 2];
  if (reverse && type !== 'rank') [minArg, maxArg] = [maxArg, minArg];
  const spec: RangeSpec = { type, reverse, start: 0, end: 0, score: null, lex: null, offset, limit };
  if (type === 'rank') {
    spec.start = longArg(minArg);
    spec.end = longArg(maxArg);
  } else if (type === 'score') {
    spec.score = scoreRangeArgs(minArg, maxArg);
  } else {
    spec.lex = lexRangeArgs(minArg, maxArg);
  }
  return { spec, withScores };
}

function rangeCommand(c: Session, argv: Buffer[], fixedType: RangeType | null, fixedReverse: boolean | null): void {
  const { spec, withScores } = parseRange(argv, 1, fixedType, fixedReverse, false);
  const z = readZset(c, keyOf(argv[1]));
  if (z === undefined) {
    c.reply.array(0);
    return;
  }
  replyMembers(c, selectRange(z, spec), withScores);
}

export const zrange: CommandSpec = { ...ZRANGE_SPEC, handler: (c, argv) => rangeCommand(c, argv, null, null) };
export const zrangebyscore: CommandSpec = { ...ZRANGEBYSCORE_SPEC, handler: (c, argv) => rangeCommand(c, argv, 'score', false) };
export const zrevrangebyscore: CommandSpec = { ...ZREVRANGEBYSCORE_SPEC, handler: (c, argv) => rangeCommand(c, argv, 'score', true) };
export const zrevrange: CommandSpec = { ...ZREVRANGE_SPEC, handler: (c, argv) => rangeCommand(c, argv, 'rank', true) };
export const zrangebylex: CommandSpec = { ...ZRANGEBYLEX_SPEC, handler: (c, argv) => rangeCommand(c, argv, 'lex', false) };
export const zrevrangebylex: CommandSpec = { ...ZREVRANGEBYLEX_SPEC, handler: (c, argv) => rangeCommand(c, argv, 'lex', true) };

export const zrangestore: CommandSpec = {
  ...ZRANGESTORE_SPEC,
  handler(c, argv) {
    const { spec } = parseRange(argv, 2, null, null, true);
    const z = readZset(c, keyOf(argv[2]));
    const items = z === undefined ? [] : selectRange(z, spec);
    storeZset(c, keyOf(argv[1]), buildZset(zsetLimits(c), items), 'zrangestore');
  },
};
