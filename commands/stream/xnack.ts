/**
 * XNACK key group SILENT|FAIL|FATAL IDS numids id [id ...] [RETRYCOUNT count] [FORCE]  (Redis 8.8)
 *
 * Releases pending entries back to the group without acknowledging them:
 * each loses its owner (XPENDING shows ""), gets delivery time 0 (so any
 * min-idle-time claims it at once, and CLAIM serves it first), and its
 * delivery counter is adjusted — SILENT −1 (the delivery "did not count"),
 * FAIL unchanged, FATAL LLONG_MAX — or set by RETRYCOUNT. IDs not pending
 * are ignored, unless FORCE creates unowned entries for those that exist in
 * the stream (counter 0, RETRYCOUNT, or LLONG_MAX with FATAL). Replies the
 * number of entries released. Deterministic: logged as sent.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, oneof, singleKey, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { idsBlockSpan, isKw, strictIdArgs } from './args.js';
import { NackMode } from '../../lib/stream/group.js';
import { getStreamForWrite } from './lookup.js';
import { idsArgument } from './refpolicy.js';

function modeArg(b: Buffer): NackMode {
  if (isKw(b, 'silent')) return NackMode.Silent;
  if (isKw(b, 'fail')) return NackMode.Fail;
  if (isKw(b, 'fatal')) return NackMode.Fatal;
  throw E.XNACK_MODE;
}

export const xnack: CommandSpec = {
  name: 'xnack',
  arity: -7,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update'])],
  summary: "Releases pending messages back to the group's PEL without acknowledging them, making them available for re-delivery.",
  since: '8.8.0',
  group: 'stream',
  complexity: 'O(1) for each message ID processed.',
  arguments: [
    key('key'),
    arg('group', 'string'),
    oneof('mode', [token('SILENT', { name: 'silent' }), token('FAIL', { name: 'fail' }), token('FATAL', { name: 'fatal' })]),
    idsArgument,
    arg('count', 'integer', { token: 'RETRYCOUNT', optional: true }),
    token('FORCE', { name: 'force', optional: true }),
  ],
  handler(c, argv) {
    // Redis's xnackCommand order: key and group (WRONGTYPE, NOGROUP), the mode, the options
    // (IDS, FORCE, RETRYCOUNT in any order, a later IDS block replacing an earlier one), then the IDs.
    const k = keyOf(argv[1]);
    const groupName = argv[2].toString('latin1');
    const s = getStreamForWrite(c, k);
    const g = s?.groups.get(groupName);
    if (s === null || g === undefined) throw E.noGroup(k, groupName);
    const mode = modeArg(argv[3]);
    let span: { first: number; n: number } | null = null;
    let retryCount: number | bigint = -1;
    let force = false;
    for (let i = 4; i < argv.length; i++) {
      const more = i + 1 < argv.length;
      if (more && isKw(argv[i], 'ids')) {
        span = idsBlockSpan(argv, i, E.XNACK_NUMIDS_MISMATCH, E.XNACK_NUMIDS);
        i = span.first + span.n - 1;
      } else if (isKw(argv[i], 'force')) {
        force = true;
      } else if (more && isKw(argv[i], 'retrycount')) {
        const v = parseInt64(argv[++i]);
        if (v === null) throw E.NOT_INTEGER;
        if (v < 0) throw E.XNACK_RETRYCOUNT;
        retryCount = v;
      } else {
        throw E.unrecognizedXnackOption(argv[i].toString());
      }
    }
    if (span === null) throw E.XNACK_NO_IDS;
    const ids = strictIdArgs(argv, span.first, span.n);
    let released = 0;
    for (const id of ids) {
      const pe = g.pel.get(id);
      if (pe === undefined) {
        if (!force || !s.log.has(id)) continue;
        g.nackNew(id, mode, retryCount);
      } else g.nack(pe, mode, retryCount);
      released++;
    }
    if (released > 0) {
      c.server.dirty += released;
      // Released entries are claimable at once: wake XREADGROUP ... CLAIM readers blocked on the key.
      c.db.touch(k);
    }
    c.reply.int(released);
  },
};
