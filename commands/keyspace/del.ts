/** DEL and UNLINK: remove keys (UNLINK frees in the background in Redis; here both are immediate). */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';

function deleteKeys(c: Session, argv: Buffer[]): void {
  let removed = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = keyOf(argv[i]);
    // An expired key is deleted (and propagated) by the lookup and not counted, as Redis's expireIfNeeded.
    c.db.lookup(key, false);
    if (c.db.delete(key)) {
      c.server.notify('g', 'del', key, c.db.id);
      c.server.dirty++;
      removed++;
    }
  }
  c.reply.int(removed);
}

export const del: CommandSpec = {
  name: 'del',
  arity: -2,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [{ flags: ['RM', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  summary: 'Deletes one or more keys.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
  ],
  handler: deleteKeys,
};

export const unlink: CommandSpec = {
  name: 'unlink',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [{ flags: ['RM', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
  tips: ['request_policy:multi_shard', 'response_policy:agg_sum'],
  summary: 'Asynchronously deletes one or more keys.',
  since: '4.0.0',
  group: 'generic',
  complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
  ],
  handler: deleteKeys,
};
