/** LREM key count element and LTRIM key start stop. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { fill, longArg, writeList } from './support.js';

const lremHandler: Handler = (c, argv) => {
  const raw = parseInt64(argv[2]);
  if (raw === null) throw E.NOT_INTEGER;
  if (raw === -9223372036854775808n) throw E.valueMustBetween('-9223372036854775807', '9223372036854775807');
  const count = typeof raw === 'bigint' ? (raw < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER) : raw;
  const key = keyOf(argv[1]);
  const l = writeList(c, key);
  if (l === undefined) {
    c.reply.int(0);
    return;
  }
  const removed = l.remove(argv[3], Math.abs(count), count < 0);
  if (removed > 0) {
    c.server.notify('l', 'lrem', key, c.db.id);
    if (l.length === 0) {
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db.id);
    } else {
      l.shrinking(fill(c));
      c.db.touch(key);
    }
    c.server.dirty += removed;
  }
  c.reply.int(removed);
};

const ltrimHandler: Handler = (c, argv) => {
  let start = longArg(argv[2]);
  let end = longArg(argv[3]);
  const key = keyOf(argv[1]);
  const l = writeList(c, key);
  if (l === undefined) {
    c.reply.ok();
    return;
  }
  const len = l.length;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  let ltrim: number;
  let rtrim: number;
  if (start > end || start >= len) {
    ltrim = len;
    rtrim = 0;
  } else {
    if (end >= len) end = len - 1;
    ltrim = start;
    rtrim = len - end - 1;
  }
  l.dropHead(ltrim);
  l.dropTail(rtrim);
  c.server.notify('l', 'ltrim', key, c.db.id);
  if (l.length === 0) {
    c.db.delete(key);
    c.server.notify('g', 'del', key, c.db.id);
  } else {
    l.shrinking(fill(c));
    c.db.touch(key);
  }
  c.server.dirty += ltrim + rtrim;
  c.reply.ok();
};

export const lrem: CommandSpec = {
  name: 'lrem',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Removes elements from a list. Deletes the list if the last element was removed.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'count', type: 'integer' },
    { name: 'element', type: 'string' },
  ],
  handler: lremHandler,
};

export const ltrim: CommandSpec = {
  name: 'ltrim',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Removes elements from both ends a list. Deletes the list if all elements were trimmed.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'stop', type: 'integer' },
  ],
  handler: ltrimHandler,
};

