/** HSET, HMSET and HSETNX: set fields, creating the hash. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { HashValue } from '../../lib/types/hash.js';
import { commit, getField, got, Got, maxEntries, maxValue, writeHash } from './support.js';

/** HSET and HMSET differ only in their reply (count of new fields vs OK). */
function setFields(c: Parameters<Handler>[0], argv: Buffer[], name: string): number {
  if (argv.length % 2 === 1) throw E.wrongArity(name);
  const key = keyOf(argv[1]);
  let h = writeHash(c, key);
  const created = h === undefined;
  h ??= new HashValue();
  const me = maxEntries(c);
  const mv = maxValue(c);
  h.tryConversion(argv, 2, argv.length - 1, me, mv);
  let added = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (h.set(keyOf(argv[i]), argv[i + 1])) added++;
    h.afterSet(argv[i].length, argv[i + 1].length, me, mv);
  }
  commit(c, key, h, created);
  c.server.notify('h', 'hset', key, c.db.id);
  c.server.dirty += (argv.length - 2) / 2;
  return added;
}

const hsetHandler: Handler = (c, argv) => {
  c.reply.int(setFields(c, argv, 'hset'));
};

const hmsetHandler: Handler = (c, argv) => {
  setFields(c, argv, 'hmset');
  c.reply.ok();
};

const hsetnxHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  let h = writeHash(c, key);
  const field = keyOf(argv[2]);
  let created = h === undefined;
  if (h !== undefined && getField(c, key, h, field) !== undefined) {
    c.reply.int(0);
    return;
  }
  // A lazily expired last field took the hash with it: start a new one.
  if (h !== undefined && got === Got.EXPIRED_HASH) created = true;
  if (created) h = new HashValue();
  h!.tryConversion(argv, 2, 3, maxEntries(c), maxValue(c));
  h!.set(field, argv[3]);
  h!.afterSet(argv[2].length, argv[3].length, maxEntries(c), maxValue(c));
  commit(c, key, h!, created);
  c.server.notify('h', 'hset', key, c.db.id);
  c.server.dirty++;
  c.reply.int(1);
};

export const hset: CommandSpec = {
  name: 'hset',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Creates or modifies the value of a field in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
  history: [['4.0.0', 'Accepts multiple `field` and `value` arguments.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'data', type: 'block', multiple: true, arguments: [
      { name: 'field', type: 'string' },
      { name: 'value', type: 'string' },
    ] },
  ],
  handler: hsetHandler,
};

export const hmset: CommandSpec = {
  name: 'hmset',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Sets the values of multiple fields.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of fields being set.',
  docFlags: ['deprecated'],
  deprecatedSince: '4.0.0',
  replacedBy: '`HSET` with multiple field-value pairs',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'data', type: 'block', multiple: true, arguments: [
      { name: 'field', type: 'string' },
      { name: 'value', type: 'string' },
    ] },
  ],
  handler: hmsetHandler,
};

export const hsetnx: CommandSpec = {
  name: 'hsetnx',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Sets the value of a field in a hash only when the field doesn\'t exist.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string' },
    { name: 'value', type: 'string' },
  ],
  handler: hsetnxHandler,
};

