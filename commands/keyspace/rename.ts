/** RENAME and RENAMENX: move a value (and its TTL) to another key name in the same database. */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';

/** Returns false when RENAMENX finds the destination taken. */
function renameKey(c: Session, argv: Buffer[], nx: boolean): boolean {
  const from = keyOf(argv[1]);
  const to = keyOf(argv[2]);
  const db = c.db;
  const value = db.lookup(from);
  if (value === undefined) throw E.NO_SUCH_KEY;
  // Same name: nothing to do, but a missing key was still an error above.
  if (from === to) return !nx;
  const expireAt = db.getExpire(from);
  if (db.lookup(to) !== undefined) {
    if (nx) return false;
    db.delete(to);
  }
  db.set(to, value);
  if (expireAt !== undefined) db.setExpire(to, expireAt);
  db.delete(from);
  c.server.notify('g', 'rename_from', from, db.id);
  c.server.notify('g', 'rename_to', to, db.id);
  c.server.dirty++;
  return true;
}

export const rename: CommandSpec = {
  name: 'rename',
  arity: 3,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['OW', 'update'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Renames a key and overwrites the destination.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'newkey', type: 'key', keySpecIndex: 1 },
  ],
  handler(c, argv) {
    renameKey(c, argv, false);
    c.reply.ok();
  },
};

export const renamenx: CommandSpec = {
  name: 'renamenx',
  arity: 3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast'],
  firstKey: 1,
  lastKey: 2,
  step: 1,
  keySpecs: [{ flags: ['RW', 'access', 'delete'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }, { flags: ['OW', 'insert'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Renames a key only when the target key name doesn\'t exist.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'newkey', type: 'key', keySpecIndex: 1 },
  ],
  handler(c, argv) {
    c.reply.int(renameKey(c, argv, true) ? 1 : 0);
  },
};
