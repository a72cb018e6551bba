/** GET and GETDEL. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { readString } from '../keyspace/lookup.js';

export const get: CommandSpec = {
  name: 'get',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the string value of a key.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler(c, argv) {
    c.reply.bulkOrNull(readString(c, keyOf(argv[1])));
  },
};

export const getdel: CommandSpec = {
  name: 'getdel',
  arity: 2,
  flags: ['write', 'fast'],
  acl: ['write', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the string value of a key after deleting the key.',
  since: '6.2.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler(c, argv) {
    const key = keyOf(argv[1]);
    const v = readString(c, key);
    c.reply.bulkOrNull(v);
    if (v === undefined) return;
    c.db.delete(key);
    // Propagated as DEL, as Redis does.
    c.server.propagateAs([Buffer.from('DEL'), argv[1]]);
    c.server.notify('g', 'del', key, c.db.id);
    c.server.dirty++;
  },
};
