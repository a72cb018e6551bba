/**
 * ZPOPMIN / ZPOPMAX [count], ZMPOP, and the blocking BZPOPMIN / BZPOPMAX /
 * BZMPOP.
 *
 * A blocking pop that finds nothing blocks on its keys; whenever one of them
 * is signalled and holds a sorted set, the whole pop is tried again over all
 * its keys in argument order (Redis 7.2+ re-executes the command), so
 * clients are served in the order they blocked. What a pop did is
 * propagated as `ZPOPMIN|ZPOPMAX key [count]`, the deterministic plain form
 * (BZPOPMIN, ZMPOP and BZMPOP included), as Redis does.
 */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyBuf, keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { Proto } from '../../lib/resp/writer.js';
import { BZMPOP_SPEC, BZPOPMAX_SPEC, BZPOPMIN_SPEC, ZMPOP_SPEC, ZPOPMAX_SPEC, ZPOPMIN_SPEC } from './table.js';
import { MUST_BE_POSITIVE, replyScore, writeZset } from './support.js';

const ZPOPMIN = Buffer.from('ZPOPMIN');
const ZPOPMAX = Buffer.from('ZPOPMAX');
const NUMKEYS = E.custom('ERR numkeys should be greater than 0');
const COUNT_POSITIVE = E.custom('ERR count should be greater than 0');
const TIMEOUT_NOT_FLOAT = E.custom('ERR timeout is not a float or out of range');

type Shape = 'flat' | 'pairs' | 'blocking' | 'mpop';

interface Pop {
  keys: string[];
  max: boolean;
  /** Members to pop; `explicitCount` says whether the client gave a count (reply shape and propagation). */
  count: number;
  explicitCount: boolean;
  shape: Shape;
}

/**
 * Pops from the first key holding a non-empty sorted set (WRONGTYPE for a
 * key of another type met before it). Replies and returns true when it
 * popped; returns false having written nothing otherwise.
 */
function tryPop(c: Session, p: Pop, propagate: (argv: Buffer[]) => void): boolean {
  for (const key of p.keys) {
    const z = writeZset(c, key);
    if (z === undefined || z.size === 0) continue;
    const popped: [string, number][] = [];
    for (let i = 0; i < p.count && z.size > 0; i++) {
      const node = p.max ? z.last()! : z.first()!;
      popped.push([node.member, node.score]);
      z.delete(node.member);
    }
    c.server.notify('z', p.max ? 'zpopmax' : 'zpopmin', key, c.db.id);
    if (z.size === 0) {
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db.id);
    } else {
      c.db.touch(key);
    }
    c.server.dirty++;
    const argv = [p.max ? ZPOPMAX : ZPOPMIN, keyBuf(key)];
    if (p.explicitCount || p.shape === 'mpop') argv.push(Buffer.from(String(p.count)));
    propagate(argv);
    reply(c, p, key, popped);
    return true;
  }
  return false;
}

function reply(c: Session, p: Pop, key: string, popped: [string, number][]): void {
  const r = c.reply;
  if (p.shape === 'blocking') {
    r.array(3);
    r.bulkLatin1(key);
    r.bulkLatin1(popped[0][0]);
    replyScore(c, popped[0][1]);
    return;
  }
  const nested = p.shape === 'mpop' || (p.shape === 'pairs' && r.proto === Proto.RESP3);
  if (p.shape === 'mpop') {
    r.array(2);
    r.bulkLatin1(key);
  }
  if (nested) {
    r.array(popped.length);
    for (const [m, s] of popped) {
      r.array(2);
      r.bulkLatin1(m);
      replyScore(c, s);
    }
  } else {
    r.array(popped.length * 2);
    for (const [m, s] of popped) {
      r.bulkLatin1(m);
      replyScore(c, s);
    }
  }
}

function zpop(c: Session, argv: Buffer[], max: boolean): void {
  if (argv.length > 3) throw E.SYNTAX;
  let count = 1;
  const explicitCount = argv.length === 3;
  if (explicitCount) {
    const n = parseInt64(argv[2]);
    if (n === null || n < 0) throw MUST_BE_POSITIVE;
    count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    if (count === 0) {
      c.reply.array(0);
      return;
    }
  }
  const p: Pop = { keys: [keyOf(argv[1])], max, count, explicitCount, shape: explicitCount ? 'pairs' : 'flat' };
  if (!tryPop(c, p, (a) => c.server.propagateAs(a))) c.reply.array(0);
}

export const zpopmin: CommandSpec = { ...ZPOPMIN_SPEC, handler: (c, argv) => zpop(c, argv, false) };
export const zpopmax: CommandSpec = { ...ZPOPMAX_SPEC, handler: (c, argv) => zpop(c, argv, true) };

/** numkeys key... MIN|MAX [COUNT count] from argv[at]. */
function parseMpop(argv: Buffer[], at: number): Pop {
  const n = parseInt64(argv[at]);
  if (n === null || n < 1) throw NUMKEYS;
  if (n > argv.length - at - 2) throw E.SYNTAX;
  const numkeys = Number(n);
  const keys: string[] = [];
  for (let i = 0; i < numkeys; i++) keys.push(keyOf(argv[at + 1 + i]));
  const whereAt = at + 1 + numkeys;
  let max: boolean;
  if (isWord(argv[whereAt], 'min')) max = false;
  else if (isWord(argv[whereAt], 'max')) max = true;
  else throw E.SYNTAX;
  let count = 1;
  let seenCount = false;
  for (let i = whereAt + 1; i < argv.length; i++) {
    if (!seenCount && isWord(argv[i], 'count') && i + 1 < argv.length) {
      const v = parseInt64(argv[++i]);
      if (v === null || v < 1) throw COUNT_POSITIVE;
      count = typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
      seenCount = true;
    } else {
      throw E.SYNTAX;
    }
  }
  return { keys, max, count, explicitCount: true, shape: 'mpop' };
}

export const zmpop: CommandSpec = {
  ...ZMPOP_SPEC,
  handler(c, argv) {
    const p = parseMpop(argv, 1);
    if (!tryPop(c, p, (a) => c.server.propagateAs(a))) c.reply.nullArray();
  },
};

/** A blocking timeout in seconds (fractions allowed, Redis's getTimeoutFromObjectOrReply): 0 = forever, else the deadline in unix ms. */
function timeoutArg(b: Buffer): number {
  const s = b.toString('latin1');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw TIMEOUT_NOT_FLOAT;
  const v = Number(s);
  if (!Number.isFinite(v)) throw TIMEOUT_NOT_FLOAT;
  if (v < 0) throw E.TIMEOUT_NEGATIVE;
  const ms = Math.ceil(v * 1000);
  if (ms === 0) return 0;
  if (ms > Number.MAX_SAFE_INTEGER - Date.now()) throw E.TIMEOUT_OUT_OF_RANGE;
  return Date.now() + ms;
}

function blockingPop(c: Session, p: Pop, timeoutAt: number): void {
  // The command propagates its effect as the plain pop, never as itself.
  c.server.suppressPropagation();
  if (tryPop(c, p, (a) => c.server.propagateAs(a))) return;
  if (!c.mayBlock) {
    c.reply.nullArray();
    return;
  }
  // Re-run (Redis 7.2+) when one of the keys holds a sorted set again; a re-run that finds nothing blocks again.
  c.block({ keys: p.keys, timeoutAt, type: 'zset' });
}

function bzpop(c: Session, argv: Buffer[], max: boolean): void {
  const timeoutAt = timeoutArg(argv[argv.length - 1]);
  const keys = argv.slice(1, -1).map(keyOf);
  blockingPop(c, { keys, max, count: 1, explicitCount: false, shape: 'blocking' }, timeoutAt);
}

export const bzpopmin: CommandSpec = { ...BZPOPMIN_SPEC, handler: (c, argv) => bzpop(c, argv, false) };
export const bzpopmax: CommandSpec = { ...BZPOPMAX_SPEC, handler: (c, argv) => bzpop(c, argv, true) };

export const bzmpop: CommandSpec = {
  ...BZMPOP_SPEC,
  handler(c, argv) {
    const timeoutAt = timeoutArg(argv[1]);
    blockingPop(c, parseMpop(argv, 2), timeoutAt);
  },
};
