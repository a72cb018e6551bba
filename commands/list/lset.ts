/** LSET key index element and LINSERT key BEFORE|AFTER pivot element. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord } from '../../lib/args.js';
import { fill, longArg, writeList } from './support.js';

const lsetHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const l = writeList(c, key);
  if (l === undefined) throw E.NO_SUCH_KEY;
  const i = longArg(argv[2]);
  l.growing(fill(c), argv[3].length, 1);
  if (!l.set(i, argv[3])) throw E.INDEX_OUT_OF_RANGE;
  l.shrinking(fill(c));
  c.reply.ok();
  c.db.touch(key);
  c.server.notify('l', 'lset', key, c.db.id);
  c.server.dirty++;
};

const linsertHandler: Handler = (c, argv) => {
  let after: boolean;
  if (isWord(argv[2], 'after')) after = true;
  else if (isWord(argv[2], 'before')) after = false;
  else throw E.SYNTAX;
  const key = keyOf(argv[1]);
  const l = writeList(c, key);
  if (l === undefined) {
    c.reply.int(0);
    return;
  }
  // Converted before the search, found or not, as Redis does.
  l.growing(fill(c), argv[4].length, 1);
  const at = l.indexOf(argv[3]);
  if (at === -1) {
    c.reply.int(-1);
    return;
  }
  l.insert(after ? at + 1 : at, argv[4]);
  c.db.touch(key);
  c.server.notify('l', 'linsert', key, c.db.id);
  c.server.dirty++;
  c.reply.int(l.length);
};

export const lset: CommandSpec = {
  name: 'lset',
  arity: 4,
  flags: ['write', 'denyoom'],
  acl: ['write', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Sets the value of an element in a list by its index.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'index', type: 'integer' },
    { name: 'element', type: 'string' },
  ],
  handler: lsetHandler,
};

export const linsert: CommandSpec = {
  name: 'linsert',
  arity: 5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Inserts an element before or after another element in a list.',
  since: '2.2.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'where', type: 'oneof', arguments: [
      { name: 'before', type: 'pure-token', token: 'BEFORE' },
      { name: 'after', type: 'pure-token', token: 'AFTER' },
    ] },
    { name: 'pivot', type: 'string' },
    { name: 'element', type: 'string' },
  ],
  handler: linsertHandler,
};

