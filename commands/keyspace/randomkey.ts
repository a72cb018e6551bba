/** RANDOMKEY: a random live key, or null in an empty database. */
import type { CommandSpec } from '../../lib/command.js';

export const randomkey: CommandSpec = {
  name: 'randomkey',
  arity: 1,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  tips: ['request_policy:all_shards', 'response_policy:special', 'nondeterministic_output'],
  summary: 'Returns a random key name from the database.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  handler(c) {
    const k = c.db.randomKey();
    if (k === undefined) c.reply.nullBulk();
    else c.reply.bulkLatin1(k);
  },
};
