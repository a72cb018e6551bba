/** SADD and SREM: add or remove members; SREM deletes the key once the set is empty. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { RSet } from '../../lib/types/set.js';
import { SADD_SPEC, SREM_SPEC } from './table.js';
import { afterRemove, setLimits, writeSet } from './support.js';

export const sadd: CommandSpec = {
  ...SADD_SPEC,
  handler(c, argv) {
    const key = keyOf(argv[1]);
    let s = writeSet(c, key);
    const limits = setLimits(c);
    const created = s === undefined;
    if (s === undefined) s = new RSet(keyOf(argv[2]), argv.length - 2, limits);
    else s.reserve(argv.length - 2, limits);
    let added = 0;
    for (let i = 2; i < argv.length; i++) if (s.add(keyOf(argv[i]), limits)) added++;
    if (created) c.db.set(key, s);
    else if (added > 0) c.db.touch(key);
    if (added > 0) c.server.notify('s', 'sadd', key, c.db.id);
    c.server.dirty += added;
    c.reply.int(added);
  },
};

export const srem: CommandSpec = {
  ...SREM_SPEC,
  handler(c, argv) {
    const key = keyOf(argv[1]);
    const s = writeSet(c, key);
    let removed = 0;
    if (s !== undefined) {
      for (let i = 2; i < argv.length && s.size > 0; i++) if (s.delete(keyOf(argv[i]))) removed++;
      if (removed > 0) {
        c.server.notify('s', 'srem', key, c.db.id);
        afterRemove(c, key, s);
      }
    }
    c.server.dirty += removed;
    c.reply.int(removed);
  },
};
