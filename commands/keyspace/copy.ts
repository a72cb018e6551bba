/** COPY source destination [DB destination-db] [REPLACE]: an independent copy of the value, with its TTL. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf, type Value } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord } from '../../lib/args.js';
import { typeOf } from '../../lib/types/registry.js';
import { databaseArg, lookupRead } from './lookup.js';

export const copy: CommandSpec = {
  name: 'copy',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['keyspace', 'write', 'slow'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['OW', 'update'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Copies the value of a key to a new key.',
  since: '6.2.0',
  group: 'generic',
  complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  arguments: [
    { name: 'source', type: 'key', keySpecIndex: 0 },
    { name: 'destination', type: 'key', keySpecIndex: 1 },
    { name: 'destination-db', type: 'integer', token: 'DB', optional: true },
    { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true },
  ],
  handler(c, argv) {
    const src = c.db;
    let dst = c.db;
    let replace = false;
    for (let i = 3; i < argv.length; i++) {
      if (isWord(argv[i], 'replace')) replace = true;
      else if (isWord(argv[i], 'db') && i + 1 < argv.length) dst = databaseArg(c, argv[++i]);
      else throw E.SYNTAX;
    }
    const from = keyOf(argv[1]);
    const to = keyOf(argv[2]);
    if (src === dst && from === to) throw E.SAME_OBJECT;
    const value = lookupRead(c, from);
    if (value === undefined) {
      c.reply.int(0);
      return;
    }
    const expireAt = src.getExpire(from);
    const exists = dst.lookup(to) !== undefined;
    if (exists && !replace) {
      c.reply.int(0);
      return;
    }
    const dup: Value = typeOf(value).clone(value);
    if (exists) dst.delete(to);
    dst.set(to, dup);
    if (expireAt !== undefined) dst.setExpire(to, expireAt);
    c.server.notify('g', 'copy_to', to, dst.id);
    c.server.dirty++;
    c.reply.int(1);
  },
};
