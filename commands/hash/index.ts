/** The hash command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { hset, hmset, hsetnx } from './hset.js';
import { hget, hmget, hexists, hstrlen, hlen } from './hget.js';
import { hgetall, hkeys, hvals } from './hgetall.js';
import { hdel } from './hdel.js';
import { hincrby, hincrbyfloat } from './hincrby.js';
import { hrandfield } from './hrandfield.js';
import { hscan } from './hscan.js';
import { hexpire, hpexpire, hexpireat, hpexpireat, httl, hpttl, hexpiretime, hpexpiretime, hpersist } from './hexpire.js';

export const hashCommands: CommandSpec[] = [
  hset,
  hmset,
  hsetnx,
  hget,
  hmget,
  hexists,
  hstrlen,
  hlen,
  hgetall,
  hkeys,
  hvals,
  hdel,
  hincrby,
  hincrbyfloat,
  hrandfield,
  hscan,
  hexpire,
  hpexpire,
  hexpireat,
  hpexpireat,
  httl,
  hpttl,
  hexpiretime,
  hpexpiretime,
  hpersist,
];
