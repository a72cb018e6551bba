/** TYPE: the type of a key's value, or `none`. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf, typeName } from '../../lib/engine/keyspace.js';
import { lookupRead } from './lookup.js';

export const type: CommandSpec = {
  name: 'type',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Determines the type of value stored at a key.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler(c, argv) {
    const v = lookupRead(c, keyOf(argv[1]), false);
    c.reply.simple(v === undefined ? 'none' : typeName(v));
  },
};
