/** HGET, HMGET, HEXISTS, HSTRLEN, HLEN: reading single fields. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { getField, got, Got, readHash, replyValue } from './support.js';

const hgetHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const h = readHash(c, key);
  const v = h === undefined ? undefined : getField(c, key, h, keyOf(argv[2]));
  if (v === undefined) c.reply.nullBulk();
  else replyValue(c, v);
};

const hmgetHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const h = readHash(c, key);
  c.reply.array(argv.length - 2);
  let expired = false;
  let deleted = false;
  for (let i = 2; i < argv.length; i++) {
    const v = h === undefined || deleted ? undefined : getField(c, key, h, keyOf(argv[i]), false);
    if (h !== undefined && !deleted) {
      if (got === Got.EXPIRED) expired = true;
      if (got === Got.EXPIRED_HASH) expired = deleted = true;
    }
    if (v === undefined) c.reply.nullBulk();
    else replyValue(c, v);
  }
  // One event for all the fields that expired on access, as Redis fires it.
  if (expired) {
    c.server.notify('h', 'hexpired', key, c.db.id);
    if (deleted) c.server.notify('g', 'del', key, c.db.id);
  }
};

const hexistsHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const h = readHash(c, key);
  c.reply.int(h !== undefined && getField(c, key, h, keyOf(argv[2])) !== undefined ? 1 : 0);
};

const hstrlenHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const h = readHash(c, key);
  const v = h === undefined ? undefined : getField(c, key, h, keyOf(argv[2]));
  c.reply.int(v === undefined ? 0 : v.length);
};

const hlenHandler: Handler = (c, argv) => {
  const h = readHash(c, keyOf(argv[1]));
  c.reply.int(h === undefined ? 0 : h.size);
};

export const hget: CommandSpec = {
  name: 'hget',
  arity: 3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the value of a field in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string' },
  ],
  handler: hgetHandler,
};

export const hmget: CommandSpec = {
  name: 'hmget',
  arity: -3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the values of all fields in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of fields being requested.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string', multiple: true },
  ],
  handler: hmgetHandler,
};

export const hexists: CommandSpec = {
  name: 'hexists',
  arity: 3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Determines whether a field exists in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string' },
  ],
  handler: hexistsHandler,
};

export const hstrlen: CommandSpec = {
  name: 'hstrlen',
  arity: 3,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the length of the value of a field.',
  since: '3.2.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'field', type: 'string' },
  ],
  handler: hstrlenHandler,
};

export const hlen: CommandSpec = {
  name: 'hlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the number of fields in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: hlenHandler,
};

