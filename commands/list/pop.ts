/**
 * LPOP/RPOP key [count] and LMPOP numkeys key ... LEFT|RIGHT [COUNT n].
 * LMPOP is propagated as LPOP/RPOP key <popped count>, as Redis does.
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { elementsRemoved, End, endArg, popRangeReply, writeList } from './support.js';

/** getPositiveLongFromObjectOrReply. */
function positiveArg(b: Buffer): number {
  // With its message given, Redis uses it for a non-integer too.
  const v = parseInt64(b);
  if (v === null || v < 0) throw E.MUST_BE_POSITIVE;
  return typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
}

function pop(c: Session, argv: Buffer[], where: End): void {
  if (argv.length > 3) throw E.wrongArity(where === End.HEAD ? 'lpop' : 'rpop');
  const hasCount = argv.length === 3;
  const count = hasCount ? positiveArg(argv[2]) : 0;
  const key = keyOf(argv[1]);
  const l = writeList(c, key);
  if (l === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (hasCount && count === 0) {
    c.reply.array(0);
    return;
  }
  if (!hasCount) {
    c.reply.bulk(where === End.HEAD ? l.popHead()! : l.popTail()!);
    elementsRemoved(c, key, l, where, 1);
    return;
  }
  const n = popRangeReply(c, l, where, count);
  elementsRemoved(c, key, l, where, n);
}

const lpopHandler: Handler = (c, argv) => pop(c, argv, End.HEAD);
const rpopHandler: Handler = (c, argv) => pop(c, argv, End.TAIL);

/** The parsed arguments of LMPOP/BLMPOP (lmpopGenericCommand): keys, end, count. */
export interface MpopArgs {
  keys: Buffer[];
  where: End;
  count: number;
}

/** Parses `numkeys key... LEFT|RIGHT [COUNT n]` starting at argv[at]. */
export function parseMpop(argv: Buffer[], at: number): MpopArgs {
  const nk = parseInt64(argv[at]);
  if (nk === null || nk < 1) throw E.NUMKEYS_NOT_POSITIVE;
  const numkeys = typeof nk === 'bigint' ? Number.MAX_SAFE_INTEGER : nk;
  const whereAt = at + numkeys + 1;
  if (whereAt >= argv.length) throw E.SYNTAX;
  const where = endArg(argv[whereAt]);
  let count = -1;
  for (let j = whereAt + 1; j < argv.length; j++) {
    if (count === -1 && argv[j].length === 5 && argv[j].toString('latin1').toLowerCase() === 'count' && j + 1 < argv.length) {
      const n = parseInt64(argv[++j]);
      if (n === null || n < 1) throw E.COUNT_NOT_POSITIVE;
      count = typeof n === 'bigint' ? Number.MAX_SAFE_INTEGER : n;
    } else {
      throw E.SYNTAX;
    }
  }
  return { keys: argv.slice(at + 1, whereAt), where, count: count === -1 ? 1 : count };
}

const LPOP = Buffer.from('LPOP');
const RPOP = Buffer.from('RPOP');

/**
 * Pops from the first non-empty list among a.keys, replying [key, [elements]]
 * and propagating [LR]POP key n. False (nothing written) when every key is
 * missing; WRONGTYPE for the first key of another type met before a list.
 */
export function mpopFirst(c: Session, a: MpopArgs): boolean {
  for (const kb of a.keys) {
    const key = keyOf(kb);
    const l = writeList(c, key);
    if (l === undefined || l.length === 0) continue;
    c.reply.array(2);
    c.reply.bulk(kb);
    const n = popRangeReply(c, l, a.where, a.count);
    elementsRemoved(c, key, l, a.where, n);
    c.server.propagateAs([a.where === End.HEAD ? LPOP : RPOP, kb, Buffer.from(String(n))]);
    return true;
  }
  return false;
}

const lmpopHandler: Handler = (c, argv) => {
  const a = parseMpop(argv, 1);
  if (!mpopFirst(c, a)) c.reply.nullArray();
};

export const lpop: CommandSpec = {
  name: 'lpop',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the first elements in a list after removing it. Deletes the list if the last element was popped.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements returned',
  history: [['6.2.0', 'Added the `count` argument.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer', since: '6.2.0', optional: true },
  ],
  handler: lpopHandler,
};

export const rpop: CommandSpec = {
  name: 'rpop',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns and removes the last elements of a list. Deletes the list if the last element was popped.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements returned',
  history: [['6.2.0', 'Added the `count` argument.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer', since: '6.2.0', optional: true },
  ],
  handler: rpopHandler,
};

export const lmpop: CommandSpec = {
  name: 'lmpop',
  arity: -4,
  flags: ['write', 'movablekeys'],
  acl: ['write', 'list', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
  summary: 'Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.',
  since: '7.0.0',
  group: 'list',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  arguments: [
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'where', type: 'oneof', arguments: [
      { name: 'left', type: 'pure-token', token: 'LEFT' },
      { name: 'right', type: 'pure-token', token: 'RIGHT' },
    ] },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  handler: lmpopHandler,
};

