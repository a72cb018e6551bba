/** SMOVE source destination member. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { RSet } from '../../lib/types/set.js';
import { SMOVE_SPEC } from './table.js';
import { setLimits } from './support.js';

export const smove: CommandSpec = {
  ...SMOVE_SPEC,
  handler(c, argv) {
    const from = keyOf(argv[1]);
    const to = keyOf(argv[2]);
    const member = keyOf(argv[3]);
    const src = c.db.lookup(from);
    const dst = c.db.lookup(to);
    // A missing source answers 0 before any type check, as in Redis.
    if (src === undefined) {
      c.reply.int(0);
      return;
    }
    if (!(src instanceof RSet) || (dst !== undefined && !(dst instanceof RSet))) throw E.WRONGTYPE;
    if (src === dst) {
      c.reply.int(src.has(member) ? 1 : 0);
      return;
    }
    if (!src.delete(member)) {
      c.reply.int(0);
      return;
    }
    c.server.notify('s', 'srem', from, c.db.id);
    if (src.size === 0) {
      c.db.delete(from);
      c.server.notify('g', 'del', from, c.db.id);
    } else {
      c.db.touch(from);
    }
    c.server.dirty++;
    const limits = setLimits(c);
    let target = dst as RSet | undefined;
    if (target === undefined) {
      target = new RSet(member, 1, limits);
      c.db.set(to, target);
    }
    if (target.add(member, limits)) {
      c.server.dirty++;
      c.db.touch(to);
      c.server.notify('s', 'sadd', to, c.db.id);
    }
    c.reply.int(1);
  },
};
