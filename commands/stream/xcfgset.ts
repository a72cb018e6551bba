/**
 * XCFGSET key [IDMP-DURATION seconds] [IDMP-MAXSIZE count]  (Redis 8.6)
 *
 * Sets a stream's idempotency limits: how long an iid is kept (1..86400 s,
 * default 100 — the stream-idmp-duration directive) and how many recent iids
 * are kept per producer (1..10000, default 100 — stream-idmp-maxsize). At
 * least one option, each at most once; the stream must exist (checked
 * first). A value that differs from the current one clears every producer's
 * IDMP map (the command page); setting the same values keeps the history and
 * its counts and is no write at all (not logged, WATCH untouched), as Redis's
 * xcfgsetCommand. Replies OK.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block, key, singleKey, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { isKw } from './args.js';
import { IdmpState } from '../../lib/stream/idmp.js';
import { getStreamForWrite, idmpLimits } from './lookup.js';

export const IDMP_DURATION_MAX = 86400;
export const IDMP_MAXSIZE_MAX = 10000;

/** An integer in [1, max]: "value is not an integer" for a non-integer, `range` outside the bounds. */
function boundedArg(b: Buffer, max: number, range: E.ReplyError): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  if (v < 1 || v > max) throw range;
  return Number(v);
}

export const xcfgset: CommandSpec = {
  name: 'xcfgset',
  arity: -2,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update'])],
  summary: 'Sets the IDMP configuration parameters for a stream.',
  since: '8.6.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [
    key('key'),
    block('idmp-duration-block', [token('IDMP-DURATION', { name: 'idmp-duration-token' }), arg('duration', 'integer')], { optional: true }),
    block('idmp-maxsize-block', [token('IDMP-MAXSIZE', { name: 'idmp-maxsize-token' }), arg('maxsize', 'integer')], { optional: true }),
  ],
  handler(c, argv) {
    // Redis's xcfgsetCommand: the key first ("no such key", WRONGTYPE), then the options, each at most once.
    const k = keyOf(argv[1]);
    const s = getStreamForWrite(c, k);
    if (s === null) throw E.NO_SUCH_KEY;
    let duration: number | null = null;
    let maxSize: number | null = null;
    for (let i = 2; i < argv.length; i++) {
      const more = i + 1 < argv.length;
      if (more && isKw(argv[i], 'idmp-duration')) {
        if (duration !== null) throw E.XCFGSET_DURATION_TWICE;
        duration = boundedArg(argv[++i], IDMP_DURATION_MAX, E.XCFGSET_DURATION_RANGE);
      } else if (more && isKw(argv[i], 'idmp-maxsize')) {
        if (maxSize !== null) throw E.XCFGSET_MAXSIZE_TWICE;
        maxSize = boundedArg(argv[++i], IDMP_MAXSIZE_MAX, E.XCFGSET_MAXSIZE_RANGE);
      } else throw E.SYNTAX;
    }
    if (duration === null && maxSize === null) throw E.XCFGSET_NO_PARAMETER;
    const now = idmpLimits(c, s);
    const changed = (duration !== null && duration * 1000 !== now.durationMs) || (maxSize !== null && maxSize !== now.maxSize);
    // Values equal to the current ones change nothing: no write, no WATCH invalidation, nothing logged.
    if (changed) {
      const idmp = (s.idmp ??= new IdmpState());
      if (duration !== null) idmp.duration = duration;
      if (maxSize !== null) idmp.maxSize = maxSize;
      idmp.clearMaps();
      c.db.touch(k); // a write to the key: WATCH sees it
      c.server.dirty++;
    }
    c.reply.ok();
  },
};
