/** ZRANDMEMBER key [count [WITHSCORES]]: positive counts give distinct members, negative ones may repeat. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { ZRANDMEMBER_SPEC } from './table.js';
import { readZset, replyMembers } from './support.js';

const RANGE = E.custom('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
const WITHSCORES_RANGE = E.custom('ERR value is out of range');
const HALF_LONG = 4611686018427387903n;
/** Past this many repeated picks a reply could not be built in memory (Redis would try, and stall). */
const MAX_REPEATED = 1 << 26;

export const zrandmember: CommandSpec = {
  ...ZRANDMEMBER_SPEC,
  handler(c, argv) {
    const key = keyOf(argv[1]);
    if (argv.length === 2) {
      const z = readZset(c, key);
      if (z === undefined) c.reply.nullBulk();
      else c.reply.bulkLatin1(z.at(Math.floor(Math.random() * z.size))!.member);
      return;
    }
    const n = parseInt64(argv[2]);
    if (n === null) throw E.NOT_INTEGER;
    if (n === -9223372036854775808n) throw RANGE;
    if (argv.length > 4 || (argv.length === 4 && !isWord(argv[3], 'withscores'))) throw E.SYNTAX;
    const withScores = argv.length === 4;
    if (withScores && (BigInt(n) < -HALF_LONG || BigInt(n) > HALF_LONG)) throw WITHSCORES_RANGE;
    const z = readZset(c, key);
    if (z === undefined || n === 0) {
      c.reply.array(0);
      return;
    }
    const items: [string, number][] = [];
    if (n < 0) {
      const count = -Number(n);
      if (count > MAX_REPEATED) throw RANGE;
      for (let i = 0; i < count; i++) {
        const node = z.at(Math.floor(Math.random() * z.size))!;
        items.push([node.member, node.score]);
      }
    } else if (n >= z.size) {
      // The whole sorted set, highest first, as Redis lists it.
      for (let x = z.last(); x !== null; x = x.prev) items.push([x.member, x.score]);
    } else {
      const count = Number(n);
      const picked = new Set<number>();
      while (picked.size < count) picked.add(Math.floor(Math.random() * z.size));
      for (const r of picked) {
        const node = z.at(r)!;
        items.push([node.member, node.score]);
      }
    }
    replyMembers(c, items, withScores);
  },
};
