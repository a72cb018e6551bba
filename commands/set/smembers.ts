/** SMEMBERS, SISMEMBER, SMISMEMBER, SCARD: read-only views of one set. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { SCARD_SPEC, SISMEMBER_SPEC, SMEMBERS_SPEC, SMISMEMBER_SPEC } from './table.js';
import { readSet, replySet } from './support.js';

export const smembers: CommandSpec = {
  ...SMEMBERS_SPEC,
  handler(c, argv) {
    const s = readSet(c, keyOf(argv[1]));
    replySet(c, s === undefined ? [] : s.list());
  },
};

export const sismember: CommandSpec = {
  ...SISMEMBER_SPEC,
  handler(c, argv) {
    const s = readSet(c, keyOf(argv[1]));
    c.reply.int(s !== undefined && s.has(keyOf(argv[2])) ? 1 : 0);
  },
};

export const smismember: CommandSpec = {
  ...SMISMEMBER_SPEC,
  handler(c, argv) {
    const s = readSet(c, keyOf(argv[1]));
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.int(s !== undefined && s.has(keyOf(argv[i])) ? 1 : 0);
  },
};

export const scard: CommandSpec = {
  ...SCARD_SPEC,
  handler(c, argv) {
    c.reply.int(readSet(c, keyOf(argv[1]))?.size ?? 0);
  },
};
