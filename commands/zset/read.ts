/** ZSCORE, ZMSCORE, ZCARD, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK: read-only views of one sorted set. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord } from '../../lib/args.js';
import type { Session } from '../../lib/engine/session.js';
import { ZCARD_SPEC, ZCOUNT_SPEC, ZLEXCOUNT_SPEC, ZMSCORE_SPEC, ZRANK_SPEC, ZREVRANK_SPEC, ZSCORE_SPEC } from './table.js';
import { lexRangeArgs, readZset, replyScore, scoreRangeArgs } from './support.js';

export const zscore: CommandSpec = {
  ...ZSCORE_SPEC,
  handler(c, argv) {
    const s = readZset(c, keyOf(argv[1]))?.score(keyOf(argv[2]));
    if (s === undefined) c.reply.nullBulk();
    else replyScore(c, s);
  },
};

export const zmscore: CommandSpec = {
  ...ZMSCORE_SPEC,
  handler(c, argv) {
    const z = readZset(c, keyOf(argv[1]));
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      const s = z?.score(keyOf(argv[i]));
      if (s === undefined) c.reply.nullBulk();
      else replyScore(c, s);
    }
  },
};

export const zcard: CommandSpec = {
  ...ZCARD_SPEC,
  handler(c, argv) {
    c.reply.int(readZset(c, keyOf(argv[1]))?.size ?? 0);
  },
};

export const zcount: CommandSpec = {
  ...ZCOUNT_SPEC,
  handler(c, argv) {
    const r = scoreRangeArgs(argv[2], argv[3]);
    c.reply.int(readZset(c, keyOf(argv[1]))?.countScore(r) ?? 0);
  },
};

export const zlexcount: CommandSpec = {
  ...ZLEXCOUNT_SPEC,
  handler(c, argv) {
    const r = lexRangeArgs(argv[2], argv[3]);
    c.reply.int(readZset(c, keyOf(argv[1]))?.countLex(r) ?? 0);
  },
};

function zrank(c: Session, argv: Buffer[], reverse: boolean): void {
  if (argv.length > 4) throw E.wrongArity(reverse ? 'zrevrank' : 'zrank');
  let withScore = false;
  if (argv.length === 4) {
    if (!isWord(argv[3], 'withscore')) throw E.SYNTAX;
    withScore = true;
  }
  const z = readZset(c, keyOf(argv[1]));
  const member = keyOf(argv[2]);
  const r = z === undefined ? -1 : z.rank(member);
  if (r === -1) {
    if (withScore) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  const rank = reverse ? z!.size - 1 - r : r;
  if (!withScore) {
    c.reply.int(rank);
    return;
  }
  c.reply.array(2);
  c.reply.int(rank);
  replyScore(c, z!.score(member)!);
}

export const zrankCommand: CommandSpec = {
  ...ZRANK_SPEC,
  handler(c, argv) {
    zrank(c, argv, false);
  },
};

export const zrevrank: CommandSpec = {
  ...ZREVRANK_SPEC,
  handler(c, argv) {
    zrank(c, argv, true);
  },
};
