/** GETSET key value: SET returning the old value; propagated as SET. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { readString } from '../keyspace/lookup.js';

export const getset: CommandSpec = {
  name: 'getset',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the previous string value of a key after setting it to a new value.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  docFlags: ['deprecated'],
  deprecatedSince: '6.2.0',
  replacedBy: '`SET` with the `!GET` argument',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const key = keyOf(argv[1]);
    const old = readString(c, key);
    c.db.set(key, Buffer.from(argv[2]));
    c.server.notify('$', 'set', key, c.db.id);
    c.server.dirty++;
    c.server.propagateAs([Buffer.from('SET'), argv[1], argv[2]]);
    c.reply.bulkOrNull(old);
  },
};
