/**
 * XACK key group id [id ...]: removes entries from the group's PEL (and
 * their owners'). A missing key or group acknowledges nothing (0, no error);
 * otherwise every ID is parsed before anything is removed (all or nothing).
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import type { StreamId } from '../../lib/stream/id.js';
import { getStream } from './lookup.js';
import { strictIdArg } from './args.js';

export const xack: CommandSpec = {
  name: 'xack',
  arity: -4,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update'])],
  summary: 'Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1) for each message ID processed.',
  arguments: [key('key'), arg('group', 'string'), arg('id', 'string', { multiple: true })],
  handler(c, argv) {
    const s = getStream(c, keyOf(argv[1]));
    const g = s?.groups.get(argv[2].toString('latin1'));
    if (g === undefined) {
      c.reply.int(0);
      return;
    }
    const ids: StreamId[] = new Array(argv.length - 3);
    for (let j = 3; j < argv.length; j++) ids[j - 3] = strictIdArg(argv[j]);
    let acked = 0;
    for (const id of ids) {
      if (g.deletePending(id) !== undefined) {
        acked++;
        c.server.dirty++;
      }
    }
    c.reply.int(acked);
  },
};
