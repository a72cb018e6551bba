/** KEYS: every live key matching a glob pattern (Redis's stringmatchlen rules). */
import type { CommandSpec } from '../../lib/command.js';
import { globMatch } from '../../lib/glob.js';

export const keys: CommandSpec = {
  name: 'keys',
  arity: 2,
  flags: ['readonly'],
  acl: ['keyspace', 'read', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  tips: ['request_policy:all_shards', 'nondeterministic_output_order'],
  summary: 'Returns all key names that match a pattern.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
  arguments: [
    { name: 'pattern', type: 'pattern' },
  ],
  handler(c, argv) {
    const pattern = argv[1];
    const all = pattern.length === 1 && pattern[0] === 42; /* '*' */
    const found: string[] = [];
    for (const k of c.db.liveKeys()) if (all || globMatch(pattern, k)) found.push(k);
    c.reply.array(found.length);
    for (const k of found) c.reply.bulkLatin1(k);
  },
};
