/**
 * LMOVE source destination LEFT|RIGHT LEFT|RIGHT and RPOPLPUSH source
 * destination: pop from one list, push to another (or the same), reply with
 * the element. moveOne is shared with BLMOVE and BRPOPLPUSH.
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { elementsRemoved, End, endArg, pushAll, writeList } from './support.js';

/**
 * Moves one element from argv[1] to argv[2]: true when done (reply written),
 * false when the source is missing (nothing written). WRONGTYPE for either
 * key is thrown before anything changes.
 */
export function moveOne(c: Session, argv: Buffer[], from: End, to: End): boolean {
  const srcKey = keyOf(argv[1]);
  const src = writeList(c, srcKey);
  if (src === undefined || src.length === 0) return false;
  const dstKey = keyOf(argv[2]);
  const dst = writeList(c, dstKey);
  const v = from === End.HEAD ? src.popHead()! : src.popTail()!;
  // With source and destination the same list, the element goes back before emptiness is checked.
  pushAll(c, dstKey, srcKey === dstKey ? src : dst, [v], to);
  c.server.notify('l', to === End.HEAD ? 'lpush' : 'rpush', dstKey, c.db.id);
  c.reply.bulk(v);
  elementsRemoved(c, srcKey, src, from, 1);
  return true;
}

const lmoveHandler: Handler = (c, argv) => {
  const from = endArg(argv[3]);
  const to = endArg(argv[4]);
  if (!moveOne(c, argv, from, to)) c.reply.nullBulk();
};

const rpoplpushHandler: Handler = (c, argv) => {
  if (!moveOne(c, argv, End.TAIL, End.HEAD)) c.reply.nullBulk();
};

export const lmove: CommandSpec = {
  name: 'lmove',
  arity: 5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'list', 'slow'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.',
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
  ],
  handler: lmoveHandler,
};

export const rpoplpush: CommandSpec = {
  name: 'rpoplpush',
  arity: 3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'list', 'slow'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['RW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.',
  since: '1.2.0',
  group: 'list',
  complexity: 'O(1)',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`LMOVE` with the `RIGHT` and `LEFT` arguments',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
  ],
  handler: rpoplpushHandler,
};

