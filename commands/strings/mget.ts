/** MGET: values of several keys; a missing key or one of another type is null. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { lookupRead } from '../keyspace/lookup.js';

export const mget: CommandSpec = {
  name: 'mget',
  arity: -2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'string', 'fast'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
  tips: ['request_policy:multi_shard'],
  summary: 'Atomically returns the string values of one or more keys.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(N) where N is the number of keys to retrieve.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
  ],
  handler(c, argv) {
    c.reply.array(argv.length - 1);
    for (let i = 1; i < argv.length; i++) {
      const v = lookupRead(c, keyOf(argv[i]));
      if (Buffer.isBuffer(v)) c.reply.bulk(v);
      else c.reply.nullBulk();
    }
  },
};
