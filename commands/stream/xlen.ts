/** XLEN key */
import type { CommandSpec } from '../../lib/command.js';
import { key, singleKey } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { getStream } from './lookup.js';

export const xlen: CommandSpec = {
  name: 'xlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RO'])],
  summary: 'Return the number of entries in a stream',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [key('key')],
  handler(c, argv) {
    const s = getStream(c, keyOf(argv[1]));
    c.reply.int(s === null ? 0 : s.length);
  },
};
