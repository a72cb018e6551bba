/** The strings command family, registered in commands/index.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { get, getdel } from './get.js';
import { set, setnx, setex, psetex } from './set.js';
import { getex } from './getex.js';
import { getset } from './getset.js';
import { mget } from './mget.js';
import { mset, msetnx } from './mset.js';
import { incr, decr, incrby, decrby } from './incr.js';
import { incrbyfloat } from './incrbyfloat.js';
import { append } from './append.js';
import { strlen } from './strlen.js';
import { getrange, substr } from './getrange.js';
import { setrange } from './setrange.js';

export const stringCommands: CommandSpec[] = [
  get,
  getdel,
  set,
  setnx,
  setex,
  psetex,
  getex,
  getset,
  mget,
  mset,
  msetnx,
  incr,
  decr,
  incrby,
  decrby,
  incrbyfloat,
  append,
  strlen,
  getrange,
  substr,
  setrange,
];
