/** STRLEN: length of a string value, 0 for a missing key. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { readString } from '../keyspace/lookup.js';

export const strlen: CommandSpec = {
  name: 'strlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the length of a string value.',
  since: '2.2.0',
  group: 'string',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler(c, argv) {
    c.reply.int(readString(c, keyOf(argv[1]))?.length ?? 0);
  },
};
