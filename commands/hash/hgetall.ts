/** HGETALL, HKEYS, HVALS: the whole hash (fields whose TTL passed are skipped, not deleted, as Redis 7.4 does). */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { readHash, replyValue } from './support.js';

const KEYS = 1;
const VALUES = 2;

function getAll(c: Session, argv: Buffer[], what: number): void {
  const h = readHash(c, keyOf(argv[1]));
  const both = what === (KEYS | VALUES);
  if (h === undefined) {
    if (both) c.reply.map(0);
    else c.reply.array(0);
    return;
  }
  const now = c.server.now();
  let n = h.size;
  if (h.ttl !== null) for (const at of h.ttl.values()) if (at < now) n--;
  if (both) c.reply.map(n);
  else c.reply.array(n);
  for (const [f, v] of h.map) {
    if (h.ttl !== null && h.isExpired(f, now)) continue;
    if (what & KEYS) c.reply.bulkLatin1(f);
    if (what & VALUES) replyValue(c, v);
  }
}

const hgetallHandler: Handler = (c, argv) => getAll(c, argv, KEYS | VALUES);
const hkeysHandler: Handler = (c, argv) => getAll(c, argv, KEYS);
const hvalsHandler: Handler = (c, argv) => getAll(c, argv, VALUES);

export const hgetall: CommandSpec = {
  name: 'hgetall',
  arity: 2,
  flags: ['readonly'],
  acl: ['read', 'hash', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output_order'],
  summary: 'Returns all fields and values in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(N) where N is the size of the hash.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: hgetallHandler,
};

export const hkeys: CommandSpec = {
  name: 'hkeys',
  arity: 2,
  flags: ['readonly'],
  acl: ['read', 'hash', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output_order'],
  summary: 'Returns all fields in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(N) where N is the size of the hash.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: hkeysHandler,
};

export const hvals: CommandSpec = {
  name: 'hvals',
  arity: 2,
  flags: ['readonly'],
  acl: ['read', 'hash', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  tips: ['nondeterministic_output_order'],
  summary: 'Returns all values in a hash.',
  since: '2.0.0',
  group: 'hash',
  complexity: 'O(N) where N is the size of the hash.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
  ],
  handler: hvalsHandler,
};

