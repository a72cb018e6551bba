/** HDEL key field [field ...]: removes fields; the key goes with the last one. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { writeHash } from './support.js';

const hdelHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const h = writeHash(c, key);
  if (h === undefined) {
    c.reply.int(0);
    return;
  }
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (h.delete(keyOf(argv[i]))) {
      deleted++;
      if (h.size === 0) {
        c.db.delete(key);
        keyRemoved = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    if (!keyRemoved) c.db.touch(key);
    c.server.notify('h', 'hdel', key, c.db.id);
    if (keyRemoved) c.server.notify('g', 'del', key, c.db.id);
    c.server.dirty += deleted;
  }
  c.reply.int(deleted);
};

export const hdel: CommandSpec = {
  name: 'hdel',
  arity: -3,
  flags: ['write', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of fields to be removed.',
  history: [['2.4.0', 'Accepts multiple `field` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string', multiple: true },
  ],
  handler: hdelHandler,
};

