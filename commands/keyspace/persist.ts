/** PERSIST: removes a key's TTL; 1 if there was one. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';

export const persist: CommandSpec = {
  name: 'persist',
  arity: 2,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Removes the expiration time of a key.',
  since: '2.2.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler(c, argv) {
    const key = keyOf(argv[1]);
    if (c.db.lookup(key) === undefined || !c.db.persist(key)) {
      c.reply.int(0);
      return;
    }
    c.server.notify('g', 'persist', key, c.db.id);
    c.server.dirty++;
    c.reply.int(1);
  },
};
