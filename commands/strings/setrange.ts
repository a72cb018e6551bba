/** SETRANGE key offset value: overwrite from offset, zero-padding as needed; returns the new length. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';
import { writeString } from '../keyspace/lookup.js';
import { markRaw } from '../../lib/types/string.js';

export const setrange: CommandSpec = {
  name: 'setrange',
  arity: 4,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Overwrites a part of a string value with another by an offset. Creates the key if it doesn\'t exist.',
  since: '2.2.0',
  group: 'string',
  complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'offset', type: 'integer' },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const parsed = parseInt64(argv[2]);
    if (parsed === null) throw E.NOT_INTEGER;
    if (parsed < 0) throw E.OFFSET_OUT_OF_RANGE;
    const add = argv[3];
    const key = keyOf(argv[1]);
    const cur = writeString(c, key);
    if (add.length === 0) {
      // Setting nothing changes nothing and creates nothing.
      c.reply.int(cur?.length ?? 0);
      return;
    }
    const maxLen = c.server.config.int('proto-max-bulk-len');
    if (typeof parsed === 'bigint' || parsed + add.length > maxLen) throw E.STRING_TOO_LONG;
    const offset = parsed;
    const oldLen = cur?.length ?? 0;
    const len = Math.max(oldLen, offset + add.length);
    const out = Buffer.alloc(len);
    if (cur !== undefined) cur.copy(out, 0);
    add.copy(out, offset);
    c.db.set(key, markRaw(out), true);
    c.server.notify('$', 'setrange', key, c.db.id);
    c.server.dirty++;
    c.reply.int(len);
  },
};
