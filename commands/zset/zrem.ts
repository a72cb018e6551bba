/** ZREM and ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX. An emptied sorted set is deleted. */
import type { Session } from '../../lib/engine/session.js';
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { ZREMRANGEBYLEX_SPEC, ZREMRANGEBYRANK_SPEC, ZREMRANGEBYSCORE_SPEC, ZREM_SPEC } from './table.js';
import { afterZsetRemove, lexRangeArgs, scoreRangeArgs, writeZset } from './support.js';
import { selectRange, type RangeSpec } from './zrange.js';

export const zrem: CommandSpec = {
  ...ZREM_SPEC,
  handler(c, argv) {
    const key = keyOf(argv[1]);
    const z = writeZset(c, key);
    let removed = 0;
    if (z !== undefined) {
      for (let i = 2; i < argv.length && z.size > 0; i++) if (z.delete(keyOf(argv[i]))) removed++;
      if (removed > 0) {
        c.server.notify('z', 'zrem', key, c.db.id);
        afterZsetRemove(c, key, z);
      }
    }
    c.server.dirty += removed;
    c.reply.int(removed);
  },
};

function removeRange(c: Session, argv: Buffer[], spec: RangeSpec, event: string): void {
  const key = keyOf(argv[1]);
  const z = writeZset(c, key);
  if (z === undefined) {
    c.reply.int(0);
    return;
  }
  const doomed = selectRange(z, spec);
  for (const [m] of doomed) z.delete(m);
  if (doomed.length > 0) {
    c.server.notify('z', event, key, c.db.id);
    afterZsetRemove(c, key, z);
  }
  c.server.dirty += doomed.length;
  c.reply.int(doomed.length);
}

const base: RangeSpec = { type: 'rank', reverse: false, start: 0, end: 0, score: null, lex: null, offset: 0, limit: -1 };

function longArg(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  if (typeof v === 'bigint') return v < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return v;
}

export const zremrangebyrank: CommandSpec = {
  ...ZREMRANGEBYRANK_SPEC,
  handler(c, argv) {
    removeRange(c, argv, { ...base, start: longArg(argv[2]), end: longArg(argv[3]) }, 'zremrangebyrank');
  },
};

export const zremrangebyscore: CommandSpec = {
  ...ZREMRANGEBYSCORE_SPEC,
  handler(c, argv) {
    removeRange(c, argv, { ...base, type: 'score', score: scoreRangeArgs(argv[2], argv[3]) }, 'zremrangebyscore');
  },
};

export const zremrangebylex: CommandSpec = {
  ...ZREMRANGEBYLEX_SPEC,
  handler(c, argv) {
    removeRange(c, argv, { ...base, type: 'lex', lex: lexRangeArgs(argv[2], argv[3]) }, 'zremrangebylex');
  },
};
