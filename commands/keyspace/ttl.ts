/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 without expiry. */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { lookupRead } from './lookup.js';
import { subI64 } from '../../lib/stream/id.js';

function ttlGeneric(c: Session, argv: Buffer[], ms: boolean, absolute: boolean): void {
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
  let t = absolute ? at : subI64(at, c.server.now());
  if (t < 0) t = 0;
  // Seconds are rounded to nearest, as Redis's (ttl+500)/1000; times beyond 2^53 ms are bigints, exact.
  if (ms) c.reply.int(t);
  else c.reply.int(typeof t === 'number' ? Math.floor((t + 500) / 1000) : (t + 500n) / 1000n);
}

/**
 * The four commands share everything but their name and docs. The relative
 * ones (TTL, PTTL) depend on the clock, hence the nondeterministic tip, and
 * are the ones that gained the -2 reply in 2.8.
 */
function ttlCommand(name: string, summary: string, since: string, ms: boolean, absolute: boolean): CommandSpec {
  return {
    name,
    arity: 2,
    flags: ['readonly', 'fast'],
    acl: ['keyspace', 'read', 'fast'],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    ...(absolute ? {} : { tips: ['nondeterministic_output'] }),
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    ...(absolute ? {} : { history: [['2.8.0', 'Added the -2 reply.']] as [string, string][] }),
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
    handler: (c, argv) => ttlGeneric(c, argv, ms, absolute),
  };
}

export const ttl = ttlCommand('ttl', 'Returns the expiration time in seconds of a key.', '1.0.0', false, false);
export const pttl = ttlCommand('pttl', 'Returns the expiration time in milliseconds of a key.', '2.6.0', true, false);
export const expiretime = ttlCommand(
  'expiretime', 'Returns the expiration time of a key as a Unix timestamp.', '7.0.0', false, true);
export const pexpiretime = ttlCommand(
  'pexpiretime', 'Returns the expiration time of a key as a Unix milliseconds timestamp.', '7.0.0', true, true);
