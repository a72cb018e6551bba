/**
 * SET key value [NX | XX] [GET] [EX | PX | EXAT | PXAT | KEEPTTL], and the
 * older SETNX, SETEX and PSETEX, which are SET with fixed options.
 *
 * A SET with an expiry is propagated as `SET key value PXAT <absolute ms>`
 * (Redis 7 does the same) so replaying the AOF later does not extend the TTL;
 * a SET ... GET without expiry is propagated without its GET tokens.
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { isWord } from '../../lib/args.js';
import { readString } from '../keyspace/lookup.js';
import { EX, GET, KEEPTTL, NX, PX, XX, expireAtMs, parseStringOptions } from './options.js';

const SET = Buffer.from('SET');
const PXAT_TOKEN = Buffer.from('PXAT');

/**
 * The common body. `okReply`/`abortReply` let SETNX answer 1/0 instead of
 * OK/null. `command` names the command in the invalid-expire error.
 */
function setGeneric(
  c: Session,
  argv: Buffer[],
  flags: number,
  keyArg: Buffer,
  valueArg: Buffer,
  expireArg: Buffer | null,
  command: string,
  okReply: ((c: Session) => void) | null,
  abortReply: ((c: Session) => void) | null,
): void {
  const now = c.server.now();
  const expireAt = expireArg === null ? null : expireAtMs(expireArg, flags, now, command);
  const key = keyOf(keyArg);
  const db = c.db;
  let old: Buffer | undefined;
  if (flags & GET) old = readString(c, key); // WRONGTYPE aborts the whole SET
  const found = db.lookup(key) !== undefined;
  if ((flags & NX && found) || (flags & XX && !found)) {
    if (flags & GET) c.reply.bulkOrNull(old);
    else if (abortReply) abortReply(c);
    else c.reply.nullBulk();
    return;
  }
  // argv buffers may share memory with a bigger buffer (Node's allocation pool, a file being loaded):
  // store a copy, unless the argument owns its memory alone (the parser gives a big argument its own
  // buffer), so a 32 MB value is not copied again. The copy is a memcpy: Buffer.from(buffer) copies
  // byte by byte in JavaScript.
  const value = ownsItsMemory(valueArg) ? valueArg : copyOf(valueArg);
  db.set(key, value, (flags & KEEPTTL) !== 0);
  c.server.dirty++;
  c.server.notify('$', 'set', key, db.id);
  if (expireAt !== null) {
    db.setExpire(key, expireAt);
    c.server.propagateAs([SET, keyArg, valueArg, PXAT_TOKEN, Buffer.from(String(expireAt))]);
    c.server.notify('g', 'expire', key, db.id);
  } else if (flags & GET) {
    c.server.propagateAs(argv.filter((a, i) => i < 3 || !isWord(a, 'get')));
  }
  if (flags & GET) c.reply.bulkOrNull(old);
  else if (okReply) okReply(c);
  else c.reply.ok();
}

export const set: CommandSpec = {
  name: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  acl: ['write', 'string', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ notes: 'RW and ACCESS due to the optional `GET` argument', flags: ['RW', 'access', 'update', 'variable_flags'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  // Redis's setGetKeys: RW+ACCESS+UPDATE with GET, else OW+UPDATE.
  keyFlags: (argv) => (argv.slice(3).some((a) => a.length === 3 && a.toString('latin1').toLowerCase() === 'get') ? ['RW', 'access', 'update'] : ['OW', 'update']),
  summary: 'Sets the string value of a key, ignoring its type. The key is created if it doesn\'t exist.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  history: [['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'], ['6.0.0', 'Added the `KEEPTTL` option.'], ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'], ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.']],
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
    { name: 'condition', type: 'oneof', since: '2.6.12', optional: true, arguments: [
        { name: 'nx', type: 'pure-token', token: 'NX' },
        { name: 'xx', type: 'pure-token', token: 'XX' },
      ] },
    { name: 'get', type: 'pure-token', token: 'GET', since: '6.2.0', optional: true },
    { name: 'expiration', type: 'oneof', optional: true, arguments: [
        { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
        { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
        { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
        { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
        { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
      ] },
  ],
  handler(c, argv) {
    const { flags, expire } = parseStringOptions(argv, 3, true);
    setGeneric(c, argv, flags, argv[1], argv[2], expire, 'set', null, null);
  },
};

const one = (c: Session): void => c.reply.int(1);
const zero = (c: Session): void => c.reply.int(0);

export const setnx: CommandSpec = {
  name: 'setnx',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'string', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['OW', 'insert'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Set the string value of a key only when the key doesn\'t exist.',
  since: '1.0.0',
  group: 'string',
  complexity: 'O(1)',
  // Redis 7.4's command table marks it deprecated (Debian's 7.0 does not).
  docFlags: ['deprecated'],
  deprecatedSince: '2.6.12',
  replacedBy: '`SET` with the `NX` argument',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'value', type: 'string' },
  ],
  handler(c, argv) {
    setGeneric(c, argv, NX, argv[1], argv[2], null, 'setnx', one, zero);
  },
};

/**
 * SETEX and PSETEX differ only in name, docs and the unit of their time
 * argument (`unit` is the EX or PX flag SET would use).
 */
function setexCommand(name: string, summary: string, since: string, unit: number, timeArg: string, option: string): CommandSpec {
  return {
    name,
    arity: 4,
    flags: ['write', 'denyoom'],
    acl: ['write', 'string', 'slow'],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    keySpecs: [{ flags: ['OW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    summary,
    since,
    group: 'string',
    complexity: 'O(1)',
    // Redis 7.4's command table marks them deprecated (Debian's 7.0 does not).
    docFlags: ['deprecated'],
    deprecatedSince: '2.6.12',
    replacedBy: `\`SET\` with the \`${option}\` argument`,
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
      { name: timeArg, type: 'integer' },
      { name: 'value', type: 'string' },
    ],
    handler(c, argv) {
      setGeneric(c, argv, unit, argv[1], argv[3], argv[2], name, null, null);
    },
  };
}

export const setex = setexCommand(
  'setex', 'Sets the string value and expiration time of a key. Creates the key if it doesn\'t exist.', '2.0.0',
  EX, 'seconds', 'EX');

export const psetex = setexCommand(
  'psetex', 'Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn\'t exist.', '2.6.0',
  PX, 'milliseconds', 'PX');

/** Whether nothing else can share b's memory: it spans its whole ArrayBuffer. */
function ownsItsMemory(b: Buffer): boolean {
  return b.byteOffset === 0 && b.buffer.byteLength === b.length;
}

function copyOf(b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(b.length);
  b.copy(out);
  return out;
}
