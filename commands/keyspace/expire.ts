/**
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX | XX | GT | LT.
 *
 * Every successful call is propagated as `PEXPIREAT key <absolute ms> [flags]`
 * so the AOF never depends on when it is replayed; a time already in the
 * past deletes the key and is propagated as `DEL key`.
 */
import type { ArgSpec, CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { parseInt64, word } from '../../lib/args.js';
import { i64 } from '../../lib/stream/id.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

/** The NX/XX/GT/LT flags after the time argument. */
function parseFlags(argv: Buffer[]): number {
  let flags = 0;
  for (let i = 3; i < argv.length; i++) {
    const w = word(argv[i]);
    if (w === 'nx') flags |= NX;
    else if (w === 'xx') flags |= XX;
    else if (w === 'gt') flags |= GT;
    else if (w === 'lt') flags |= LT;
    else throw E.unsupportedOption(argv[i].toString());
  }
  if (flags & NX && flags & (XX | GT | LT)) throw E.EXPIRE_NX_CONFLICT;
  if (flags & GT && flags & LT) throw E.EXPIRE_GT_LT_CONFLICT;
  return flags;
}

/**
 * The shared body: `relative` adds the current time, `seconds` scales by 1000.
 * Overflowing the 64-bit millisecond range is refused as Redis refuses it.
 */
function expireGeneric(c: Session, argv: Buffer[], name: string, relative: boolean, seconds: boolean): void {
  const flags = parseFlags(argv);
  const raw = parseInt64(argv[2]);
  if (raw === null) throw E.NOT_INTEGER;
  const now = c.server.now();
  let when = BigInt(raw);
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw E.INVALID_EXPIRE(name);
    when *= 1000n;
  }
  const base = relative ? BigInt(now) : 0n;
  if (when > INT64_MAX - base) throw E.INVALID_EXPIRE(name);
  when += base;

  const key = keyOf(argv[1]);
  const db = c.db;
  if (db.lookup(key) === undefined) {
    c.reply.int(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpire(key);
    // No TTL counts as infinite: GT never beats it, LT always does.
    if (flags & NX && current !== undefined) return c.reply.int(0);
    if (flags & XX && current === undefined) return c.reply.int(0);
    if (flags & GT && (current === undefined || when <= BigInt(current))) return c.reply.int(0);
    if (flags & LT && current !== undefined && when >= BigInt(current)) return c.reply.int(0);
  }
  if (when <= BigInt(now)) {
    db.delete(key);
    c.server.dirty++;
    c.server.propagateAs([Buffer.from('DEL'), argv[1]]);
    c.server.notify('g', 'del', key, db.id);
    c.reply.int(1);
    return;
  }
  db.setExpire(key, i64(when));
  c.server.propagateAs([Buffer.from('PEXPIREAT'), argv[1], Buffer.from(when.toString()), ...argv.slice(3)]);
  c.server.notify('g', 'expire', key, db.id);
  c.server.dirty++;
  c.reply.int(1);
}

/**
 * The four commands share everything but their name, docs and how the time
 * argument is read (relative or absolute, seconds or milliseconds).
 */
function expireCommand(
  name: string, summary: string, since: string, time: ArgSpec, relative: boolean, seconds: boolean,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ['write', 'fast'],
    acl: ['keyspace', 'write', 'fast'],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    history: [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']],
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      time,
      { name: 'condition', type: 'oneof', since: '7.0.0', optional: true, arguments: [
          { name: 'nx', type: 'pure-token', token: 'NX' },
          { name: 'xx', type: 'pure-token', token: 'XX' },
          { name: 'gt', type: 'pure-token', token: 'GT' },
          { name: 'lt', type: 'pure-token', token: 'LT' },
        ] },
    ],
    handler: (c, argv) => expireGeneric(c, argv, name, relative, seconds),
  };
}

export const expire = expireCommand(
  'expire', 'Sets the expiration time of a key in seconds.', '1.0.0',
  { name: 'seconds', type: 'integer' }, true, true);

export const pexpire = expireCommand(
  'pexpire', 'Sets the expiration time of a key in milliseconds.', '2.6.0',
  { name: 'milliseconds', type: 'integer' }, true, false);

export const expireat = expireCommand(
  'expireat', 'Sets the expiration time of a key to a Unix timestamp.', '1.2.0',
  { name: 'unix-time-seconds', type: 'unix-time' }, false, true);

export const pexpireat = expireCommand(
  'pexpireat', 'Sets the expiration time of a key to a Unix milliseconds timestamp.', '2.6.0',
  { name: 'unix-time-milliseconds', type: 'unix-time' }, false, false);
