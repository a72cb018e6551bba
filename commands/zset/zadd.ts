/**
 * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...] and
 * ZINCRBY key increment member. Options are checked, then every score is
 * parsed, then the key is looked up: bad input changes nothing.
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { word } from '../../lib/args.js';
import type { SortedSet } from '../../lib/types/zset.js';
import { ZADD_SPEC, ZINCRBY_SPEC } from './table.js';
import { SCORE_NAN, createZset, maybeConvert, replyScore, scoreArg, writeZset, zsetLimits, zsetSet, type ZsetLimits } from './support.js';

const XX_NX = E.custom('ERR XX and NX options at the same time are not compatible');
const GT_LT_NX = E.custom('ERR GT, LT, and/or NX options at the same time are not compatible');
const INCR_PAIRS = E.custom('ERR INCR option supports a single increment-element pair');

interface Flags {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  incr: boolean;
}

type Outcome = 'added' | 'updated' | 'same' | 'nop';

/** zsetAdd: one (score, member) under the flags; `out.score` is the resulting score. Throws on a NaN result. */
function addOne(z: SortedSet, limits: ZsetLimits, member: string, score: number, f: Flags, out: { score: number }): Outcome {
  const cur = z.score(member);
  if (cur !== undefined) {
    if (f.nx) return 'nop';
    if (f.incr) {
      score += cur;
      if (Number.isNaN(score)) throw SCORE_NAN;
    }
    if ((f.lt && score >= cur) || (f.gt && score <= cur)) return 'nop';
    out.score = score;
    if (score === cur) return 'same';
    zsetSet(z, limits, member, score);
    return 'updated';
  }
  if (f.xx) return 'nop';
  zsetSet(z, limits, member, score);
  out.score = score;
  return 'added';
}

function zadd(c: Session, argv: Buffer[], f: Flags, ch: boolean, first: number, event: string, replyScoreOnly: boolean): void {
  const key = keyOf(argv[1]);
  const n = (argv.length - first) / 2;
  const scores: number[] = [];
  let maxLen = 0;
  for (let i = first; i < argv.length; i += 2) {
    scores.push(scoreArg(argv[i]));
    if (argv[i + 1].length > maxLen) maxLen = argv[i + 1].length;
  }
  let z = writeZset(c, key);
  const limits = zsetLimits(c);
  if (z === undefined) {
    if (f.xx) {
      if (replyScoreOnly) c.reply.nullBulk();
      else c.reply.int(0);
      return;
    }
    z = createZset(limits, n, maxLen);
    c.db.set(key, z);
  } else {
    maybeConvert(z, limits, n, maxLen);
  }
  let added = 0;
  let updated = 0;
  let processed = 0;
  const out = { score: 0 };
  let outcome: Outcome = 'nop';
  try {
    for (let j = 0; j < n; j++) {
      outcome = addOne(z, limits, keyOf(argv[first + 2 * j + 1]), scores[j], f, out);
      if (outcome === 'added') added++;
      else if (outcome === 'updated') updated++;
      if (outcome !== 'nop') processed++;
    }
  } finally {
    if (added + updated > 0) {
      c.db.touch(key);
      c.server.notify('z', event, key, c.db.id);
    }
    c.server.dirty += added + updated;
    if (z.size === 0) c.db.delete(key); // a key created for nothing (an error before the first add) does not stay
  }
  if (replyScoreOnly) {
    if (processed > 0) replyScore(c, out.score);
    else c.reply.nullBulk();
  } else {
    c.reply.int(ch ? added + updated : added);
  }
}

export const zaddCommand: CommandSpec = {
  ...ZADD_SPEC,
  handler(c, argv) {
    const f: Flags = { nx: false, xx: false, gt: false, lt: false, incr: false };
    let ch = false;
    let i = 2;
    for (; i < argv.length; i++) {
      const w = argv[i].length <= 4 ? word(argv[i]) : '';
      if (w === 'nx') f.nx = true;
      else if (w === 'xx') f.xx = true;
      else if (w === 'gt') f.gt = true;
      else if (w === 'lt') f.lt = true;
      else if (w === 'ch') ch = true;
      else if (w === 'incr') f.incr = true;
      else break;
    }
    const elements = argv.length - i;
    if (elements % 2 !== 0 || elements === 0) throw E.SYNTAX;
    if (f.nx && f.xx) throw XX_NX;
    if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) throw GT_LT_NX;
    if (f.incr && elements > 2) throw INCR_PAIRS;
    zadd(c, argv, f, ch, i, f.incr ? 'zincr' : 'zadd', f.incr);
  },
};

export const zincrby: CommandSpec = {
  ...ZINCRBY_SPEC,
  handler(c, argv) {
    zadd(c, argv, { nx: false, xx: false, gt: false, lt: false, incr: true }, false, 2, 'zincr', true);
  },
};
