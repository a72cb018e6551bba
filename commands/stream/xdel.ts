/** XDEL key id [id ...] */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { strictIdArg } from './args.js';
import type { StreamId } from '../../lib/stream/id.js';
import { getStreamForWrite } from './lookup.js';

export const xdel: CommandSpec = {
  name: 'xdel',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'delete'])],
  summary:
    'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
  arguments: [key('key'), arg('id', 'string', { multiple: true })],
  handler(c, argv) {
    const k = keyOf(argv[1]);
    // As Redis: a missing key answers 0 before the IDs are even parsed.
    const s = getStreamForWrite(c, k);
    if (s === null) {
      c.reply.int(0);
      return;
    }
    // Every ID is parsed before anything is deleted, so a bad one deletes nothing.
    const ids: StreamId[] = [];
    for (let j = 2; j < argv.length; j++) ids.push(strictIdArg(argv[j]));
    const deleted = s.deleteIds(ids);
    if (deleted > 0) {
      c.db.touch(k);
      c.server.notify('t', 'xdel', k, c.db.id);
      c.server.dirty += deleted;
    }
    c.reply.int(deleted);
  },
};
