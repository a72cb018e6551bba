/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: the list pops that wait.
 *
 * Each is "try to serve; else block" (the shape the engine's
 * block-and-re-execute API expects): a blocked client is offered each
 * signalled key it waits on, in blocking order, and then runs the same
 * attempt again — scanning its keys in argument order, as Redis 7.2+
 * re-executes the command — only while the key holds a list (a key deleted
 * or turned into another type keeps the client waiting). Served commands are
 * propagated as their non-blocking forms (LPOP, RPOP, LMOVE, RPOPLPUSH,
 * [LR]POP key count). Inside MULTI/EXEC they never block: BLPOP/BRPOP/BLMPOP
 * reply a null array, BLMOVE/BRPOPLPUSH a null, as Redis.
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseLongDouble } from '../strings/longdouble.js';
import { elementsRemoved, End, endArg, writeList } from './support.js';
import { moveOne } from './lmove.js';
import { mpopFirst, parseMpop } from './pop.js';

const LLONG_MAX = 9223372036854775807;

/** A timeout in seconds (fractions allowed) as getTimeoutFromObjectOrReply: ms to wait, 0 = forever. */
export function timeoutArg(b: Buffer): number {
  const ld = parseLongDouble(b);
  if (ld === null) throw E.TIMEOUT_NOT_FLOAT;
  if (ld.inf) throw ld.neg ? E.TIMEOUT_NEGATIVE : E.TIMEOUT_OUT_OF_RANGE;
  const secs = ld.m === 0n ? 0 : (ld.neg ? -1 : 1) * Number(ld.m) * 2 ** ld.e;
  const ms = Math.ceil(secs * 1000);
  if (ms > LLONG_MAX - Date.now()) throw E.TIMEOUT_OUT_OF_RANGE;
  if (ms < 0) throw E.TIMEOUT_NEGATIVE;
  return ms === 0 ? 0 : ms; // -0 (a tiny negative rounded up) blocks forever, as in Redis
}

/**
 * Runs `attempt`; when it serves nothing, blocks the client on `keys`: when
 * one of them holds a list again, the engine re-runs the whole command
 * (Redis 7.2+), which tries again or blocks again, keeping its deadline.
 */
function serveOrBlock(c: Session, keys: Buffer[], timeoutMs: number, attempt: () => boolean, onDeny: () => void): void {
  if (attempt()) return;
  if (!c.mayBlock) {
    onDeny();
    return;
  }
  c.block({ keys: keys.map(keyOf), timeoutAt: timeoutMs === 0 ? 0 : Date.now() + timeoutMs, type: 'list' });
}

const LPOP = Buffer.from('LPOP');
const RPOP = Buffer.from('RPOP');
const LMOVE = Buffer.from('LMOVE');
const RPOPLPUSH = Buffer.from('RPOPLPUSH');

function bpop(c: Session, argv: Buffer[], where: End): void {
  const timeout = timeoutArg(argv[argv.length - 1]);
  const keys = argv.slice(1, -1);
  const attempt = (): boolean => {
    for (const kb of keys) {
      const key = keyOf(kb);
      const l = writeList(c, key);
      if (l === undefined || l.length === 0) continue;
      const v = where === End.HEAD ? l.popHead()! : l.popTail()!;
      c.reply.array(2);
      c.reply.bulk(kb);
      c.reply.bulk(v);
      elementsRemoved(c, key, l, where, 1);
      c.server.propagateAs([where === End.HEAD ? LPOP : RPOP, kb]);
      return true;
    }
    return false;
  };
  serveOrBlock(c, keys, timeout, attempt, () => c.reply.nullArray());
}

const blpopHandler: Handler = (c, argv) => bpop(c, argv, End.HEAD);
const brpopHandler: Handler = (c, argv) => bpop(c, argv, End.TAIL);

function bmove(c: Session, argv: Buffer[], from: End, to: End, timeout: number, as: Buffer[]): void {
  const attempt = (): boolean => {
    if (!moveOne(c, argv, from, to)) return false;
    c.server.propagateAs(as);
    return true;
  };
  serveOrBlock(c, [argv[1]], timeout, attempt, () => c.reply.nullBulk());
}

const blmoveHandler: Handler = (c, argv) => {
  const from = endArg(argv[3]);
  const to = endArg(argv[4]);
  const timeout = timeoutArg(argv[5]);
  bmove(c, argv, from, to, timeout, [LMOVE, argv[1], argv[2], argv[3], argv[4]]);
};

const brpoplpushHandler: Handler = (c, argv) => {
  const timeout = timeoutArg(argv[3]);
  bmove(c, argv, End.TAIL, End.HEAD, timeout, [RPOPLPUSH, argv[1], argv[2]]);
};

const blmpopHandler: Handler = (c, argv) => {
  const a = parseMpop(argv, 2);
  const timeout = timeoutArg(argv[1]);
  serveOrBlock(c, a.keys, timeout, () => mpopFirst(c, a), () => c.reply.nullArray());
};

export const blpop: CommandSpec = {
  name: 'blpop',
  arity: -3,
  flags: ['write', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  firstKey: 1,
  lastKey: -2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: -2, keyStep: 1, limit: 0 } }],
  summary: 'Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
  since: '2.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of provided keys.',
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'timeout', type: 'double' },
  ],
  handler: blpopHandler,
};

export const brpop: CommandSpec = {
  name: 'brpop',
  arity: -3,
  flags: ['write', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  firstKey: 1,
  lastKey: -2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: -2, keyStep: 1, limit: 0 } }],
  summary: 'Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
  since: '2.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of provided keys.',
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'timeout', type: 'double' },
  ],
  handler: brpopHandler,
};

export const blmove: CommandSpec = {
  name: 'blmove',
  arity: 6,
  flags: ['write', 'denyoom', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.',
  since: '6.2.0',
  group: 'list',
  complexity: 'O(1)',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'wherefrom', type: 'oneof', arguments: [
      { name: 'left', type: 'pure-token', token: 'LEFT' },
      { name: 'right', type: 'pure-token', token: 'RIGHT' },
    ] },
    { name: 'whereto', type: 'oneof', arguments: [
      { name: 'left', type: 'pure-token', token: 'LEFT' },
      { name: 'right', type: 'pure-token', token: 'RIGHT' },
    ] },
    { name: 'timeout', type: 'double' },
  ],
  handler: blmoveHandler,
};

export const brpoplpush: CommandSpec = {
  name: 'brpoplpush',
  arity: 4,
  flags: ['write', 'denyoom', 'blocking'],
  acl: ['write', 'list', 'slow', 'blocking'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.',
  since: '2.2.0',
  group: 'list',
  complexity: 'O(1)',
  history: [['6.0.0', '`timeout` is interpreted as a double instead of an integer.']],
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`BLMOVE` with the `RIGHT` and `LEFT` arguments',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'timeout', type: 'double' },
  ],
  handler: brpoplpushHandler,
};

export const blmpop: CommandSpec = {
  name: 'blmpop',
  arity: -5,
  flags: ['write', 'blocking', 'movablekeys'],
  acl: ['write', 'list', 'slow', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 2 }, findKeys: { keyNumIdx: 0, firstKey: 1, keyStep: 1 } }],
  summary: 'Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
  since: '7.0.0',
  group: 'list',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  arguments: [
    { name: 'timeout', type: 'double' },
    { name: 'numkeys', type: 'integer' },
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
    { name: 'where', type: 'oneof', arguments: [
      { name: 'left', type: 'pure-token', token: 'LEFT' },
      { name: 'right', type: 'pure-token', token: 'RIGHT' },
    ] },
    { name: 'count', type: 'integer', token: 'COUNT', optional: true },
  ],
  handler: blmpopHandler,
};

