/**
 * Redis 7.4 hash field expiry: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT
 * (NX | XX | GT | LT, per-field codes), HTTL, HPTTL, HEXPIRETIME,
 * HPEXPIRETIME and HPERSIST.
 *
 * Per-field replies: HEXPIRE* -2 no such field, 0 condition not met, 1 set,
 * 2 deleted (the time was already past); HTTL* -2 no field, -1 no TTL;
 * HPERSIST -2, -1, 1. HEXPIRE* propagate as HPEXPIREAT with the absolute ms
 * time and only the fields that got it (nothing when none did); a field
 * deleted because the time is past is propagated as HDEL.
 */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { readHash, writeHash } from './support.js';

/** HFE_MAX_ABS_TIME_MSEC: EB_EXPIRE_TIME_MAX >> 2. */
const MAX_ABS_MS = 0xffffffffffff / 4 - 0.75; // (2^48 - 1) >> 2 = 70368744177663
const HPEXPIREAT = Buffer.from('HPEXPIREAT');
const HDEL = Buffer.from('HDEL');
const FIELDS = Buffer.from('FIELDS');

const enum Cond {
  NONE,
  NX,
  XX,
  GT,
  LT,
}

/** FIELDS numfields field...: checks the keyword at argv[at-1] and the count at argv[at]; returns the first field's index. */
function fieldsArg(argv: Buffer[], at: number, countErr: E.ReplyError): number {
  if (!isWord(argv[at - 1], 'fields')) throw E.FIELDS_MISSING;
  const n = parseInt64(argv[at]);
  if (n === null || n < 1) throw countErr;
  if (n !== argv.length - at - 1) throw E.NUMFIELDS_MISMATCH;
  return at + 1;
}

function setFieldExpiry(c: Session, argv: Buffer[], name: string, relative: boolean, seconds: boolean): void {
  const key = keyOf(argv[1]);
  const h = writeHash(c, key);
  const raw = parseInt64(argv[2]);
  if (raw === null) throw E.NOT_INTEGER;
  if (raw < 0) throw E.EXPIRE_NEGATIVE;
  let expire = Number(raw);
  if (seconds) {
    if (expire > Math.floor(MAX_ABS_MS / 1000)) throw E.INVALID_EXPIRE(name);
    expire *= 1000;
  }
  const base = relative ? c.server.now() : 0;
  if (expire > MAX_ABS_MS - base) throw E.INVALID_EXPIRE(name);
  expire += base;
  let cond = Cond.NONE;
  let at = 4;
  if (isWord(argv[3], 'nx')) cond = Cond.NX;
  else if (isWord(argv[3], 'xx')) cond = Cond.XX;
  else if (isWord(argv[3], 'gt')) cond = Cond.GT;
  else if (isWord(argv[3], 'lt')) cond = Cond.LT;
  if (cond !== Cond.NONE) at++;
  if (at >= argv.length) throw E.FIELDS_MISSING;
  const first = fieldsArg(argv, at, E.NUMFIELDS_NOT_POSITIVE_HEXPIRE);
  const n = argv.length - first;
  c.reply.array(n);
  if (h === undefined) {
    for (let i = 0; i < n; i++) c.reply.int(-2);
    return;
  }
  h.markVolatile();
  const now = c.server.now();
  const pastDue = expire <= now && !c.server.loading;
  const updated: Buffer[] = [];
  let deleted = 0;
  for (let i = first; i < argv.length; i++) {
    const field = keyOf(argv[i]);
    if (!h.has(field)) {
      c.reply.int(-2);
      continue;
    }
    const prev = h.getTtl(field);
    if (prev !== undefined) {
      if (cond === Cond.NX || (cond === Cond.GT && prev >= expire) || (cond === Cond.LT && prev <= expire)) {
        c.reply.int(0);
        continue;
      }
    } else if (cond === Cond.XX || cond === Cond.GT) {
      c.reply.int(0);
      continue;
    }
    if (pastDue) {
      c.server.propagate(c.db.id, [[HDEL, argv[1], argv[i]]]);
      h.delete(field);
      c.server.stats.expiredSubkeys++;
      deleted++;
      c.reply.int(2);
      continue;
    }
    h.setTtl(field, expire);
    updated.push(argv[i]);
    c.reply.int(1);
  }
  if (deleted + updated.length > 0) {
    c.server.dirty += deleted + updated.length;
    if (deleted > 0 && h.size === 0) {
      c.db.delete(key);
      c.server.notify('h', 'hdel', key, c.db.id);
      c.server.notify('g', 'del', key, c.db.id);
    } else {
      c.db.touch(key);
      c.server.notify('h', deleted > 0 ? 'hdel' : 'hexpire', key, c.db.id);
    }
  }
  if (updated.length === 0) c.server.suppressPropagation();
  else c.server.propagateAs([HPEXPIREAT, argv[1], Buffer.from(String(expire)), FIELDS, Buffer.from(String(updated.length)), ...updated]);
}

const hexpireHandler: Handler = (c, argv) => setFieldExpiry(c, argv, 'hexpire', true, true);
const hpexpireHandler: Handler = (c, argv) => setFieldExpiry(c, argv, 'hpexpire', true, false);
const hexpireatHandler: Handler = (c, argv) => setFieldExpiry(c, argv, 'hexpireat', false, true);
const hpexpireatHandler: Handler = (c, argv) => setFieldExpiry(c, argv, 'hpexpireat', false, false);

/** HTTL family: base 0 for the *TIME forms; seconds rounded up as Redis ((ms + 999 - base) / 1000). */
function fieldTtl(c: Session, argv: Buffer[], relative: boolean, seconds: boolean): void {
  const key = keyOf(argv[1]);
  const h = readHash(c, key);
  const first = fieldsArg(argv, 3, E.NUMFIELDS_NOT_POSITIVE);
  const n = argv.length - first;
  c.reply.array(n);
  const now = c.server.now();
  const base = relative ? now : 0;
  for (let i = first; i < argv.length; i++) {
    const field = keyOf(argv[i]);
    if (h === undefined || !h.has(field)) {
      c.reply.int(-2);
      continue;
    }
    const at = h.getTtl(field);
    if (at === undefined) {
      c.reply.int(-1);
      continue;
    }
    // listpackex treats a field expiring this very ms as gone; hashtable only once the ms has passed.
    if (h.isHashtable ? at < now : at <= now) {
      c.reply.int(-2);
      continue;
    }
    c.reply.int(seconds ? Math.floor((at + 999 - base) / 1000) : at - base);
  }
}

const httlHandler: Handler = (c, argv) => fieldTtl(c, argv, true, true);
const hpttlHandler: Handler = (c, argv) => fieldTtl(c, argv, true, false);
const hexpiretimeHandler: Handler = (c, argv) => fieldTtl(c, argv, false, true);
const hpexpiretimeHandler: Handler = (c, argv) => fieldTtl(c, argv, false, false);

const hpersistHandler: Handler = (c, argv) => {
  const key = keyOf(argv[1]);
  const h = writeHash(c, key);
  const first = fieldsArg(argv, 3, E.NUMFIELDS_NOT_POSITIVE);
  const n = argv.length - first;
  c.reply.array(n);
  const now = c.server.now();
  let changed = false;
  for (let i = first; i < argv.length; i++) {
    const field = keyOf(argv[i]);
    if (h === undefined || !h.has(field)) {
      c.reply.int(-2);
      continue;
    }
    const at = h.getTtl(field);
    if (at === undefined) {
      c.reply.int(-1);
      continue;
    }
    if (at < now) {
      c.reply.int(-2); // already expired: as if there were no such field
      continue;
    }
    h.persist(field);
    changed = true;
    c.reply.int(1);
  }
  if (changed) {
    c.server.notify('h', 'hpersist', key, c.db.id);
    c.db.touch(key);
    c.server.dirty++;
  }
};

export const hexpire: CommandSpec = {
  name: 'hexpire',
  arity: -6,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Set expiry for hash field using relative time to expire (seconds)',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'seconds', type: 'integer' },
    { name: 'condition', type: 'oneof', optional: true, arguments: [
      { name: 'nx', type: 'pure-token', token: 'NX' },
      { name: 'xx', type: 'pure-token', token: 'XX' },
      { name: 'gt', type: 'pure-token', token: 'GT' },
      { name: 'lt', type: 'pure-token', token: 'LT' },
    ] },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hexpireHandler,
};

export const hpexpire: CommandSpec = {
  name: 'hpexpire',
  arity: -6,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Set expiry for hash field using relative time to expire (milliseconds)',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'milliseconds', type: 'integer' },
    { name: 'condition', type: 'oneof', optional: true, arguments: [
      { name: 'nx', type: 'pure-token', token: 'NX' },
      { name: 'xx', type: 'pure-token', token: 'XX' },
      { name: 'gt', type: 'pure-token', token: 'GT' },
      { name: 'lt', type: 'pure-token', token: 'LT' },
    ] },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hpexpireHandler,
};

export const hexpireat: CommandSpec = {
  name: 'hexpireat',
  arity: -6,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Set expiry for hash field using an absolute Unix timestamp (seconds)',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'unix-time-seconds', type: 'unix-time' },
    { name: 'condition', type: 'oneof', optional: true, arguments: [
      { name: 'nx', type: 'pure-token', token: 'NX' },
      { name: 'xx', type: 'pure-token', token: 'XX' },
      { name: 'gt', type: 'pure-token', token: 'GT' },
      { name: 'lt', type: 'pure-token', token: 'LT' },
    ] },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hexpireatHandler,
};

export const hpexpireat: CommandSpec = {
  name: 'hpexpireat',
  arity: -6,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Set expiry for hash field using an absolute Unix timestamp (milliseconds)',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'unix-time-milliseconds', type: 'unix-time' },
    { name: 'condition', type: 'oneof', optional: true, arguments: [
      { name: 'nx', type: 'pure-token', token: 'NX' },
      { name: 'xx', type: 'pure-token', token: 'XX' },
      { name: 'gt', type: 'pure-token', token: 'GT' },
      { name: 'lt', type: 'pure-token', token: 'LT' },
    ] },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hpexpireatHandler,
};

export const httl: CommandSpec = {
  name: 'httl',
  arity: -5,
  flags: ['readonly', 'fast'],
  tips: ['nondeterministic_output'], // Redis 7.4's COMMAND INFO: a TTL depends on the clock
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the TTL in seconds of a hash field.',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: httlHandler,
};

export const hpttl: CommandSpec = {
  name: 'hpttl',
  arity: -5,
  flags: ['readonly', 'fast'],
  tips: ['nondeterministic_output'], // Redis 7.4's COMMAND INFO: a TTL depends on the clock
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the TTL in milliseconds of a hash field.',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hpttlHandler,
};

export const hexpiretime: CommandSpec = {
  name: 'hexpiretime',
  arity: -5,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the expiration time of a hash field as a Unix timestamp, in seconds.',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hexpiretimeHandler,
};

export const hpexpiretime: CommandSpec = {
  name: 'hpexpiretime',
  arity: -5,
  flags: ['readonly', 'fast'],
  acl: ['read', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RO', 'access'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Returns the expiration time of a hash field as a Unix timestamp, in msec.',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hpexpiretimeHandler,
};

export const hpersist: CommandSpec = {
  name: 'hpersist',
  arity: -5,
  flags: ['write', 'fast'],
  acl: ['write', 'hash', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [{ flags: ['RW', 'update'], beginSearch: { index: 1 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
  summary: 'Removes the expiration time for each specified field',
  since: '7.4.0',
  group: 'hash',
  complexity: 'O(N) where N is the number of specified fields',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0 },
    { name: 'fields', type: 'block', token: 'FIELDS', arguments: [
      { name: 'numfields', type: 'integer' },
      { name: 'field', type: 'string', multiple: true },
    ] },
  ],
  handler: hpersistHandler,
};

