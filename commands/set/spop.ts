/**
 * SPOP and SRANDMEMBER. Random choices are not replayable, so SPOP is
 * propagated as what it did: `SREM key <members popped>` (one command;
 * Redis sends batches of SREMs), or `DEL key` when the whole set was
 * popped, as Redis does.
 */
import type { CommandSpec } from '../../lib/command.js';
import { keyBuf, keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import type { RSet } from '../../lib/types/set.js';
import { SPOP_SPEC, SRANDMEMBER_SPEC } from './table.js';
import { readSet, replySet, writeSet } from './support.js';

const SREM = Buffer.from('SREM');
const DEL = Buffer.from('DEL');
const MUST_BE_POSITIVE = E.custom('ERR value is out of range, must be positive');
const SRANDMEMBER_RANGE = E.custom('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
/** Past this many repeated picks a reply could not be built in memory (Redis would try, and stall). */
const MAX_REPEATED = 1 << 26;

/** `count` distinct random members (count < size), by partial Fisher–Yates over positions. O(count). */
function pickDistinct(s: RSet, count: number): string[] {
  const n = s.size;
  const swapped = new Map<number, number>();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (n - i));
    const pj = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.push(s.atStorage(pj));
  }
  return out;
}

export const spop: CommandSpec = {
  ...SPOP_SPEC,
  handler(c, argv) {
    if (argv.length > 3) throw E.SYNTAX;
    const key = keyOf(argv[1]);
    if (argv.length === 2) {
      const s = writeSet(c, key);
      if (s === undefined) {
        c.reply.nullBulk();
        return;
      }
      const m = s.random();
      s.delete(m);
      c.server.notify('s', 'spop', key, c.db.id);
      if (s.size === 0) {
        c.db.delete(key);
        c.server.notify('g', 'del', key, c.db.id);
      } else {
        c.db.touch(key);
      }
      c.server.dirty++;
      c.server.propagateAs([SREM, argv[1], keyBuf(m)]);
      c.reply.bulkLatin1(m);
      return;
    }
    const n = parseInt64(argv[2]);
    if (n === null || n < 0) throw MUST_BE_POSITIVE;
    const s = writeSet(c, key);
    if (s === undefined || n === 0) {
      replySet(c, []);
      return;
    }
    const count = Number(n);
    c.server.notify('s', 'spop', key, c.db.id);
    c.server.dirty++;
    if (count >= s.size) {
      const all = s.list().slice();
      c.db.delete(key);
      c.server.notify('g', 'del', key, c.db.id);
      c.server.propagateAs([DEL, argv[1]]);
      replySet(c, all);
      return;
    }
    const size = s.size;
    const popped = pickDistinct(s, count);
    for (const m of popped) s.delete(m);
    // Redis's SPOP CASE 3 (few members left: remaining * SPOP_MOVE_STRATEGY_MUL <= count) builds a new set of
    // the remaining members, so an intset comes back at the width those need (visible in DUMP).
    if ((size - count) * 5 <= count) s.narrowIntset();
    c.db.touch(key);
    c.server.propagateAs([SREM, argv[1], ...popped.map(keyBuf)]);
    replySet(c, popped);
  },
};

export const srandmember: CommandSpec = {
  ...SRANDMEMBER_SPEC,
  handler(c, argv) {
    if (argv.length > 3) throw E.SYNTAX;
    const key = keyOf(argv[1]);
    if (argv.length === 2) {
      const s = readSet(c, key);
      if (s === undefined) c.reply.nullBulk();
      else c.reply.bulkLatin1(s.random());
      return;
    }
    const n = parseInt64(argv[2]);
    if (n === null) throw E.NOT_INTEGER;
    if (typeof n === 'bigint' && n === -9223372036854775808n) throw SRANDMEMBER_RANGE;
    const s = readSet(c, key);
    if (s === undefined || n === 0) {
      c.reply.array(0);
      return;
    }
    if (n < 0) {
      const count = -Number(n);
      if (count > MAX_REPEATED) throw SRANDMEMBER_RANGE;
      c.reply.array(count);
      for (let i = 0; i < count; i++) c.reply.bulkLatin1(s.random());
      return;
    }
    const count = Number(n);
    const members = count >= s.size ? s.list() : pickDistinct(s, count);
    c.reply.array(members.length);
    for (const m of members) c.reply.bulkLatin1(m);
  },
};
