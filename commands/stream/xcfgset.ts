/**
 * XCFGSET key [IDMP-DURATION seconds] [IDMP-MAXSIZE count]  (Redis 8.6)
 *
 * Sets a stream's idempotency limits: how long an iid is kept (1..86400 s,
 * default 100 — the stream-idmp-duration directive) and how many recent iids
 * are kept per producer (1..10000, default 100 — stream-idmp-maxsize). At
 * least one option; the stream must exist. A value that differs from the
 * current one clears every producer's IDMP map (the command page); setting
 * the same values keeps the history and its counts, as Redis 8.6 does.
 * Replies OK; logged as sent.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block, key, singleKey, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { isKw } from './args.js';
import { IdmpState } from '../../lib/stream/idmp.js';
import { getStreamForWrite } from './lookup.js';

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
    let duration: number | null = null;
    let maxSize: number | null = null;
    if (argv.length === 2) throw E.XCFGSET_NO_PARAMETER;
    for (let i = 2; i < argv.length; i += 2) {
      if (i + 1 >= argv.length) throw E.SYNTAX;
      if (isKw(argv[i], 'idmp-duration')) duration = boundedArg(argv[i + 1], IDMP_DURATION_MAX, E.XCFGSET_DURATION_RANGE);
      else if (isKw(argv[i], 'idmp-maxsize')) maxSize = boundedArg(argv[i + 1], IDMP_MAXSIZE_MAX, E.XCFGSET_MAXSIZE_RANGE);
      else throw E.SYNTAX;
    }
    const k = keyOf(argv[1]);
    const s = getStreamForWrite(c, k);
    if (s === null) throw E.NO_SUCH_KEY;
    const idmp = (s.idmp ??= new IdmpState());
    // The values in effect now: the stream's own, else the server directives.
    const cfg = c.server.config;
    const changed =
      (duration !== null && duration !== (idmp.duration ?? cfg.int('stream-idmp-duration'))) ||
      (maxSize !== null && maxSize !== (idmp.maxSize ?? cfg.int('stream-idmp-maxsize')));
    if (duration !== null) idmp.duration = duration;
    if (maxSize !== null) idmp.maxSize = maxSize;
    if (changed) idmp.clearMaps();
    c.db.touch(k); // a write to the key: WATCH sees it
    c.server.dirty++;
    c.reply.ok();
  },
};
