/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without expiry. */
import type { CommandSpec } from '../../lib/command.js';
import type { Client } from '../../lib/client.js';
import { keyOf } from '../../lib/keyspace.js';
import { lookupRead } from './lookup.js';

function ttlGeneric(c: Client, argv: Buffer[], ms: boolean, absolute: boolean): void {
  const key = keyOf(argv[1]);
  if (lookupRead(c, key, false) === undefined) {
    c.reply.int(-2);
    return;
  }
  const at = c.db.getExpire(key);
  if (at === undefined) {
    c.reply.int(-1);
    return;
  }
  const t = Math.max(0, absolute ? at : at - c.server.now());
  // Seconds are rounded to nearest, as Redis's (ttl+500)/1000.
  c.reply.int(ms ? t : Math.floor((t + 500) / 1000));
}

export const ttl: CommandSpec = {
  name: 'ttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output'],
  summary: 'Returns the expiration time in seconds of a key.',
  since: '1.0.0',
  group: 'generic',
  complexity: 'O(1)',
  history: [['2.8.0', 'Added the -2 reply.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: (c, argv) => ttlGeneric(c, argv, false, false),
};

export const pttl: CommandSpec = {
  name: 'pttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output'],
  summary: 'Returns the expiration time in milliseconds of a key.',
  since: '2.6.0',
  group: 'generic',
  complexity: 'O(1)',
  history: [['2.8.0', 'Added the -2 reply.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: (c, argv) => ttlGeneric(c, argv, true, false),
};

export const expiretime: CommandSpec = {
  name: 'expiretime',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the expiration time of a key as a Unix timestamp.',
  since: '7.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: (c, argv) => ttlGeneric(c, argv, false, true),
};

export const pexpiretime: CommandSpec = {
  name: 'pexpiretime',
  arity: 2,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the expiration time of a key as a Unix milliseconds timestamp.',
  since: '7.0.0',
  group: 'generic',
  complexity: 'O(1)',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: (c, argv) => ttlGeneric(c, argv, true, true),
};
