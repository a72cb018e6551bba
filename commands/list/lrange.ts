/** LLEN, LRANGE, LINDEX: reading a list. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { longArg, rangeReply, readList } from './support.js';

const llenHandler: Handler = (c, argv) => {
  const l = readList(c, keyOf(argv[1]));
  c.reply.int(l === undefined ? 0 : l.length);
};

const lrangeHandler: Handler = (c, argv) => {
  const start = longArg(argv[2]);
  const end = longArg(argv[3]);
  const l = readList(c, keyOf(argv[1]));
  if (l === undefined) c.reply.array(0);
  else rangeReply(c, l, start, end, false);
};

const lindexHandler: Handler = (c, argv) => {
  const l = readList(c, keyOf(argv[1]));
  if (l === undefined) {
    c.reply.nullBulk();
    return;
  }
  let i = longArg(argv[2]);
  if (i < 0) i += l.length;
  if (i < 0 || i >= l.length) {
    c.reply.nullBulk();
    return;
  }
  l.visit(i, 1, false, (buf, off, len) => {
    c.reply.bulkBytes(buf, off, off + len);
  });
};

export const llen: CommandSpec = {
  name: 'llen',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the length of a list.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: llenHandler,
};

export const lrange: CommandSpec = {
  name: 'lrange',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns a range of elements from a list.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'start', type: 'integer' },
    { name: 'stop', type: 'integer' },
  ],
  handler: lrangeHandler,
};

export const lindex: CommandSpec = {
  name: 'lindex',
  arity: 3,
  flags: ['readonly'],
  acl: ['read', 'list', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns an element from a list by its index.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'index', type: 'integer' },
  ],
  handler: lindexHandler,
};

