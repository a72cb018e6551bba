/** The sorted-set command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { zaddCommand, zincrby } from './zadd.js';
import { zcard, zcount, zlexcount, zmscore, zrankCommand, zrevrank, zscore } from './read.js';
import { zrange, zrangebylex, zrangebyscore, zrangestore, zrevrange, zrevrangebylex, zrevrangebyscore } from './zrange.js';
import { zrem, zremrangebylex, zremrangebyrank, zremrangebyscore } from './zrem.js';
import { bzmpop, bzpopmax, bzpopmin, zmpop, zpopmax, zpopmin } from './zpop.js';
import { zrandmember } from './zrandmember.js';
import { zdiff, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore } from './zsetops.js';
import { zscan } from './zscan.js';

export const zsetCommands: CommandSpec[] = [
  zaddCommand, zincrby, zscore, zmscore, zcard, zcount, zlexcount, zrankCommand, zrevrank,
  zrange, zrangebyscore, zrevrange, zrevrangebyscore, zrangebylex, zrevrangebylex, zrangestore,
  zrem, zremrangebyrank, zremrangebyscore, zremrangebylex,
  zpopmin, zpopmax, bzpopmin, bzpopmax, zmpop, bzmpop, zrandmember,
  zunion, zinter, zdiff, zunionstore, zinterstore, zdiffstore, zintercard, zscan,
];
