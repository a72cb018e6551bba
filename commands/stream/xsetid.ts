/** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { isKw, strictIdArg } from './args.js';
import { type StreamId, MIN_ID, compareIds, isZeroId } from '../../lib/stream/id.js';
import { getStreamForWrite } from './lookup.js';

export const xsetid: CommandSpec = {
  name: 'xsetid',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update'])],
  summary: 'An internal command for replicating stream values',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the `entries_added` and `max_deleted_entry_id` arguments.']],
  arguments: [
    key('key'),
    arg('last-id', 'string'),
    arg('entries_added', 'integer', { token: 'ENTRIESADDED', since: '7.0.0', optional: true }),
    arg('max_deleted_entry_id', 'string', { token: 'MAXDELETEDID', since: '7.0.0', optional: true }),
  ],
  handler(c, argv) {
    const id = strictIdArg(argv[2]);
    let entriesAdded: number | bigint = -1;
    let maxDeleted: StreamId = MIN_ID;
    for (let i = 3; i < argv.length; i += 2) {
      const more = argv.length - 1 - i;
      if (more >= 1 && isKw(argv[i], 'entriesadded')) {
        const v = parseInt64(argv[i + 1]);
        if (v === null) throw E.NOT_INTEGER;
        if (v < 0) throw E.XSETID_ENTRIES_ADDED_NEGATIVE;
        entriesAdded = v;
      } else if (more >= 1 && isKw(argv[i], 'maxdeletedid')) {
        maxDeleted = strictIdArg(argv[i + 1]);
        if (compareIds(id, maxDeleted) < 0) throw E.XSETID_MAX_DELETED_SMALL;
      } else {
        throw E.SYNTAX;
      }
    }
    const k = keyOf(argv[1]);
    const s = getStreamForWrite(c, k);
    if (s === null) throw E.NO_SUCH_KEY;
    if (compareIds(id, s.maxDeletedId) < 0) throw E.XSETID_BELOW_MAX_DELETED;
    if (s.length > 0) {
      const top = s.lastEntryId()!;
      if (compareIds(id, top) < 0) throw E.XSETID_TOO_SMALL;
      if (entriesAdded !== -1 && s.length > entriesAdded) throw E.XSETID_ENTRIES_ADDED_SMALL;
    }
    s.lastId = id;
    if (entriesAdded !== -1) s.entriesAdded = entriesAdded;
    if (!isZeroId(maxDeleted)) s.maxDeletedId = maxDeleted;
    // No db.touch: Redis's XSETID does not signal the key, so a WATCH on it survives.
    c.server.notify('t', 'xsetid', k, c.db.id);
    c.server.dirty++;
    c.reply.ok();
  },
};
