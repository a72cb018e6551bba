/**
 * XCFGSET key [IDMP-DURATION seconds] [IDMP-MAXSIZE count]  (Redis 8.6)
 *
 * Sets a stream's idempotency limits: how long an iid is kept (1..86400 s,
 * default 100 — the stream-idmp-duration directive) and how many recent iids
 * are kept per producer (1..10000, default 100 — stream-idmp-maxsize). At
 * least one option; the stream must exist. As the command page says, it
 * clears every producer's IDMP map. Replies OK; logged as sent.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block, key, singleKey, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/keyspace.js';
import { isKw } from '../../lib/stream/args.js';
import { IdmpState } from '../../lib/stream/idmp.js';
import { getStream } from '../../lib/stream/stream.js';

export const IDMP_DURATION_MAX = 86400;
export const IDMP_MAXSIZE_MAX = 10000;

/** An integer in [1, max], or null. */
function boundedArg(b: Buffer, max: number): number | null {
  const v = parseInt64(b);
  return v === null || v < 1 || v > max ? null : Number(v);
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
    let duration: number | null = null;
    let maxSize: number | null = null;
    for (let i = 2; i < argv.length; i += 2) {
      if (i + 1 >= argv.length) throw E.SYNTAX;
      if (isKw(argv[i], 'idmp-duration')) {
        duration = boundedArg(argv[i + 1], IDMP_DURATION_MAX);
        if (duration === null) throw E.XCFGSET_INVALID_DURATION;
      } else if (isKw(argv[i], 'idmp-maxsize')) {
        maxSize = boundedArg(argv[i + 1], IDMP_MAXSIZE_MAX);
        if (maxSize === null) throw E.XCFGSET_INVALID_MAXSIZE;
      } else {
        throw E.SYNTAX;
      }
    }
    if (duration === null && maxSize === null) throw E.SYNTAX;
    const k = keyOf(argv[1]);
    const s = getStream(c, k);
    if (s === null) throw E.NO_SUCH_KEY;
    const idmp = (s.idmp ??= new IdmpState());
    if (duration !== null) idmp.duration = duration;
    if (maxSize !== null) idmp.maxSize = maxSize;
    idmp.clearMaps();
    c.db.touch(k); // a write to the key: WATCH sees it
    c.server.dirty++;
    c.reply.ok();
  },
};
