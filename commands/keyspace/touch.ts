/** TOUCH: updates the keys' last access time; returns how many exist. */
import type { CommandSpec } from '../../lib/command.js';
import { countExisting } from './exists.js';

export const touch: CommandSpec = {
  name: 'touch',
  arity: -2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  summary: 'Returns the number of existing keys out of those specified after updating the time they were last accessed.',
  since: '3.2.1',
  group: 'generic',
  complexity: 'O(N) where N is the number of keys that will be touched.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
  ],
  handler(c, argv) {
    // TOUCH updates the access time even under CLIENT NO-TOUCH (Redis's lookupKey exempts touchCommand).
    const noTouch = c.noTouch;
    c.noTouch = false;
    try {
      countExisting(c, argv, true);
    } finally {
      c.noTouch = noTouch;
    }
  },
};
