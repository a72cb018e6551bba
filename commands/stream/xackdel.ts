/**
 * XACKDEL key group [KEEPREF|DELREF|ACKED] IDS numids id [id ...]  (Redis 8.2)
 *
 * XACK in `group`, then a deletion under the policy. Reply per ID: -1 when
 * the ID is not pending in the group (nothing happens to it, even when the
 * entry is in the stream: an entry the group never read is not deleted);
 * otherwise it is acknowledged, and then 2 when ACKED finds it still
 * referenced (kept), else 1 (deleted; also when the entry itself was already
 * gone, its pending reference being what was cleared). A missing key or group
 * answers -1 for every ID and changes nothing (Redis 8.2: no NOGROUP). Facts:
 * Redis's stream-cgroups.tcl XACKDEL tests, jedis's xackdelUnreadMessages.
 * Logged as sent (deterministic).
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { getStream } from './lookup.js';
import { strictIdArgs } from './args.js';
import { DELETED, NOT_FOUND, STILL_REFERENCED, deleteWithPolicy, idsArgument, parsePolicyAndIds, refPolicyArgument } from './refpolicy.js';
import { RefPolicy } from '../../lib/stream/stream.js';

export const xackdel: CommandSpec = {
  name: 'xackdel',
  arity: -6,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update', 'delete'])],
  summary: 'Acknowledges and conditionally deletes one or multiple entries for a stream consumer group.',
  since: '8.2.0',
  group: 'stream',
  complexity: 'O(1) for each entry ID processed.',
  arguments: [key('key'), arg('group', 'string'), refPolicyArgument(), idsArgument],
  handler(c, argv) {
    // Redis's xackdelCommand: the type, the options, key and group (missing: -1 per ID, the IDs unread), then the IDs.
    const k = keyOf(argv[1]);
    const s = getStream(c, k); // lookupKeyRead in Redis's xackdelCommand (keyspace hits/misses)
    const { policy, first, n } = parsePolicyAndIds(argv, 3);
    const g = s?.groups.get(argv[2].toString('latin1'));
    if (s === null || g === undefined) {
      c.reply.array(n);
      for (let i = 0; i < n; i++) c.reply.int(NOT_FOUND);
      return;
    }
    const ids = strictIdArgs(argv, first, n);
    const changes = { n: 0, deleted: 0 };
    c.reply.array(ids.length);
    for (const id of ids) {
      if (g.deletePending(id) === undefined) {
        c.reply.int(NOT_FOUND);
        continue;
      }
      changes.n++;
      if (policy === RefPolicy.Acked && s.isReferenced(id)) {
        c.reply.int(STILL_REFERENCED);
        continue;
      }
      deleteWithPolicy(s, id, policy, changes);
      c.reply.int(DELETED);
    }
    if (changes.deleted > 0) c.server.notify('t', 'xdel', k, c.db.id);
    if (changes.n > 0) {
      c.db.touch(k);
      c.server.dirty += changes.n;
    }
  },
};
