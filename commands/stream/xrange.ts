/**
 * XRANGE key start end [COUNT count] and XREVRANGE key end start [COUNT count].
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { arg, key, singleKey } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { isKw, rangeEndArg, rangeStartArg } from './args.js';
import { writeRange } from './reply.js';
import { getStream } from './lookup.js';

/** Shared by both directions (Redis's xrangeGenericCommand): parse, then look up, then reply. */
function rangeCommand(c: Session, argv: Buffer[], rev: boolean): void {
  const start = rangeStartArg(rev ? argv[3] : argv[2]);
  const end = rangeEndArg(rev ? argv[2] : argv[3]);
  let count = -1; // -1: no COUNT
  for (let j = 4; j < argv.length; j++) {
    if (isKw(argv[j], 'count') && j + 1 < argv.length) {
      const v = parseInt64(argv[++j]);
      if (v === null) throw E.NOT_INTEGER;
      count = v < 0 ? 0 : Number(v);
    } else {
      throw E.SYNTAX;
    }
  }
  const s = getStream(c, keyOf(argv[1]));
  if (s === null) {
    c.reply.array(0);
    return;
  }
  // Redis answers COUNT 0 (or negative) on an existing stream with a null array.
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  writeRange(c, s, start, end, rev, count === -1 ? 0 : count);
}

const common = {
  flags: ['readonly'] as CommandSpec['flags'],
  acl: ['read', 'stream', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RO', 'access'])],
  since: '5.0.0',
  group: 'stream',
  history: [['6.2.0', 'Added exclusive ranges.']] as [string, string][],
};

export const xrange: CommandSpec = {
  name: 'xrange',
  arity: -4,
  ...common,
  summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval',
  complexity:
    'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  arguments: [key('key'), arg('start', 'string'), arg('end', 'string'), arg('count', 'integer', { token: 'COUNT', optional: true })],
  handler(c, argv) {
    rangeCommand(c, argv, false);
  },
};

export const xrevrange: CommandSpec = {
  name: 'xrevrange',
  arity: -4,
  ...common,
  summary:
    'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE',
  complexity:
    'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  arguments: [key('key'), arg('end', 'string'), arg('start', 'string'), arg('count', 'integer', { token: 'COUNT', optional: true })],
  handler(c, argv) {
    rangeCommand(c, argv, true);
  },
};
