/** APPEND key value: returns the new length. Grows the stored value in place (amortised O(1) per byte). */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { writeString } from '../keyspace/lookup.js';
import { appendBytes } from '../../lib/types/string.js';

export const append: CommandSpec = {
  name: 'append',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Appends a string to the value of a key. Creates the key if it doesn\'t exist.',
  since: '2.0.0',
  group: 'string',
  complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    const key = keyOf(argv[1]);
    const cur = writeString(c, key);
    let len: number;
    if (cur === undefined) {
      const v = Buffer.from(argv[2]);
      c.db.set(key, v);
      len = v.length;
    } else {
      if (cur.length + argv[2].length > c.server.config.int('proto-max-bulk-len')) throw E.STRING_TOO_LONG;
      const v = appendBytes(cur, argv[2]);
      c.db.set(key, v, true);
      len = v.length;
    }
    c.server.notify('$', 'append', key, c.db.id);
    c.server.dirty++;
    c.reply.int(len);
  },
};
