/** LPUSH, RPUSH, LPUSHX, RPUSHX: add elements at one end (the X forms only to an existing list). */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { End, pushAll, writeList } from './support.js';

function push(c: Session, argv: Buffer[], where: End, onlyExisting: boolean): void {
  const key = keyOf(argv[1]);
  const cur = writeList(c, key);
  if (cur === undefined && onlyExisting) {
    c.reply.int(0);
    return;
  }
  const l = pushAll(c, key, cur, argv.slice(2), where);
  c.reply.int(l.length);
  c.server.notify('l', where === End.HEAD ? 'lpush' : 'rpush', key, c.db.id);
  c.server.dirty += argv.length - 2;
}

const lpushHandler: Handler = (c, argv) => push(c, argv, End.HEAD, false);
const rpushHandler: Handler = (c, argv) => push(c, argv, End.TAIL, false);
const lpushxHandler: Handler = (c, argv) => push(c, argv, End.HEAD, true);
const rpushxHandler: Handler = (c, argv) => push(c, argv, End.TAIL, true);

export const lpush: CommandSpec = {
  name: 'lpush',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Prepends one or more elements to a list. Creates the key if it doesn\'t exist.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  history: [['2.4.0', 'Accepts multiple `element` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'element', type: 'string', multiple: true },
  ],
  handler: lpushHandler,
};

export const rpush: CommandSpec = {
  name: 'rpush',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Appends one or more elements to a list. Creates the key if it doesn\'t exist.',
  since: '1.0.0',
  group: 'list',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  history: [['2.4.0', 'Accepts multiple `element` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'element', type: 'string', multiple: true },
  ],
  handler: rpushHandler,
};

export const lpushx: CommandSpec = {
  name: 'lpushx',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Prepends one or more elements to a list only when the list exists.',
  since: '2.2.0',
  group: 'list',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  history: [['4.0.0', 'Accepts multiple `element` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'element', type: 'string', multiple: true },
  ],
  handler: lpushxHandler,
};

export const rpushx: CommandSpec = {
  name: 'rpushx',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'list', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Appends an element to a list only when the list exists.',
  since: '2.2.0',
  group: 'list',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  history: [['4.0.0', 'Accepts multiple `element` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'element', type: 'string', multiple: true },
  ],
  handler: rpushxHandler,
};

