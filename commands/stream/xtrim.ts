/**
 * XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] [KEEPREF|DELREF|ACKED]
 */
import type { ArgSpec, CommandSpec } from '../../lib/command.js';
import { arg, key, token, oneof, block } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { parseAddTrimArgs, rewriteForPropagation } from './args.js';
import { getStreamForWrite } from './lookup.js';
import { refPolicyArgument } from './refpolicy.js';

/** The trim block's arguments, shared with XADD's docs. */
export const trimArguments: ArgSpec[] = [
  oneof('strategy', [token('MAXLEN', { name: 'maxlen' }), token('MINID', { name: 'minid', since: '6.2.0' })]),
  oneof('operator', [token('=', { name: 'equal' }), token('~', { name: 'approximately' })], { optional: true }),
  arg('threshold', 'string'),
  arg('count', 'integer', { token: 'LIMIT', since: '6.2.0', optional: true }),
];

export const xtrim: CommandSpec = {
  name: 'xtrim',
  arity: -4,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output'],
  summary: "Trims the stream to (approximately if '~' is passed) a certain size",
  since: '5.0.0',
  group: 'stream',
  complexity:
    'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
  history: [
    ['6.2.0', 'Added the `MINID` trimming strategy and the `LIMIT` option.'],
    ['8.2.0', 'Added the `KEEPREF`, `DELREF` and `ACKED` options.'],
  ],
  arguments: [key('key'), block('trim', [...trimArguments, refPolicyArgument({ since: '8.2.0' })])],
  handler(c, argv) {
    const a = parseAddTrimArgs(argv, false, c.server.config.int('stream-node-max-entries'), c.server.loading);
    const k = keyOf(argv[1]);
    const s = getStreamForWrite(c, k);
    if (s === null) {
      c.reply.int(0);
      return;
    }
    const removed = s.trim(a);
    if (removed > 0) {
      c.server.notify('t', 'xtrim', k, c.db.id);
      // A `~` trim depends on chunk boundaries: log it as the exact trim it turned out to be.
      if (a.approx) c.server.propagateAs(rewriteForPropagation(argv, a, s.achievedThreshold(a), null));
      c.db.touch(k);
      c.server.dirty += removed;
    }
    c.reply.int(removed);
  },
};
