/**
 * XDELEX key [KEEPREF|DELREF|ACKED] IDS numids id [id ...]  (Redis 8.2)
 *
 * XDEL with a say over consumer-group references. Reply: one integer per ID
 * — -1 no such entry, 1 deleted, 2 kept because still referenced (ACKED, or
 * ACKED with no groups at all, as documented); a missing key answers -1 for
 * every ID. The command is deterministic, so it is logged as sent.
 */
import type { CommandSpec } from '../../lib/command.js';
import { key, singleKey } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { getStreamForWrite } from './lookup.js';
import { strictIdArgs } from './args.js';
import { NOT_FOUND, deleteWithPolicy, idsArgument, parsePolicyAndIds, refPolicyArgument } from './refpolicy.js';

export const xdelex: CommandSpec = {
  name: 'xdelex',
  arity: -5,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'delete'])],
  summary:
    'Returns the number of messages after removing them from a stream. The command can be used to remove entries from the stream based on the PEL or the ACKED status.',
  since: '8.2.0',
  group: 'stream',
  complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
  arguments: [key('key'), refPolicyArgument(), idsArgument],
  handler(c, argv) {
    // Redis's xdelexCommand: the type, the options, the key (missing: -1 per ID, the IDs unread), then the IDs.
    const k = keyOf(argv[1]);
    const s = getStreamForWrite(c, k);
    const { policy, first, n } = parsePolicyAndIds(argv, 2);
    if (s === null) {
      c.reply.array(n);
      for (let i = 0; i < n; i++) c.reply.int(NOT_FOUND);
      return;
    }
    const ids = strictIdArgs(argv, first, n);
    c.reply.array(ids.length);
    const changes = { n: 0, deleted: 0 };
    for (const id of ids) c.reply.int(deleteWithPolicy(s, id, policy, changes));
    if (changes.deleted > 0) c.server.notify('t', 'xdel', k, c.db.id);
    if (changes.n > 0) {
      c.db.touch(k);
      c.server.dirty += changes.n;
    }
  },
};
