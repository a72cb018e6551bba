/** EXISTS: how many of the named keys exist (a key named twice counts twice). */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { lookupRead } from './lookup.js';

/**
 * Replies how many of argv[1..] exist, each occurrence counted (EXISTS and
 * TOUCH); `touch` decides whether the lookups update the access time.
 */
export function countExisting(c: Session, argv: Buffer[], touch: boolean): void {
  let n = 0;
  for (let i = 1; i < argv.length; i++) if (lookupRead(c, keyOf(argv[i]), touch) !== undefined) n++;
  c.reply.int(n);
}

export const exists: CommandSpec = {
  name: 'exists',
  arity: -2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  summary: 'Determines whether one or more keys exist.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(N) where N is the number of keys to check.',
  history: [['3.0.3', 'Accepts multiple `key` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
  ],
  handler: (c, argv) => countExisting(c, argv, false),
};
