/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 * [AUTH password | AUTH2 username password] [KEYS key [key ...]]
 *
 * As Redis's migrateCommand: DUMP payloads of the keys sent as RESTORE
 * commands (with their remaining TTL) to another Redis-protocol server over
 * a cached connection, the server blocked meanwhile (lib/migrate); keys the
 * target acknowledged are deleted unless COPY, and the command is propagated
 * as DEL of those keys.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block, key, oneof, token } from '../../lib/command.js';
import { keyOf, type Value } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { createDumpPayload } from '../../lib/rdb/payload.js';
import { canWrite } from '../../lib/rdb/values.js';
import { limitsFrom } from '../../lib/rdb/limits.js';
import { encodeCommand } from '../../lib/persistence/resp.js';
import { migrateExchange } from '../../lib/migrate/sync-client.js';
import { lookupRead } from './lookup.js';

const RESTORE = Buffer.from('RESTORE');
const REPLACE = Buffer.from('REPLACE');
const AUTH = Buffer.from('AUTH');
const DEL = Buffer.from('DEL');

/** Redis's migrateGetKeys: the key argument, or the keys after KEYS when the key argument is empty. */
function migrateKeys(argv: Buffer[]): number[] {
  for (let i = 6; i < argv.length; i++) {
    if (isWord(argv[i], 'keys')) {
      if (argv[3].length !== 0) break;
      const out: number[] = [];
      for (let k = i + 1; k < argv.length; k++) out.push(k);
      return out;
    }
    if (isWord(argv[i], 'auth')) i++;
    else if (isWord(argv[i], 'auth2')) i += 2;
  }
  return argv.length > 3 ? [3] : [];
}

function longArg(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  return Number(v);
}

export const migrate: CommandSpec = {
  name: 'migrate',
  arity: -6,
  flags: ['write', 'movablekeys'],
  acl: ['keyspace', 'write', 'slow', 'dangerous'],
  firstKey: 3,
  lastKey: 3,
  step: 1,
  keySpecs: [
    { flags: ['RW', 'access', 'delete'], beginSearch: { index: 3 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } },
    { flags: ['RW', 'access', 'delete', 'incomplete'], beginSearch: { keyword: 'KEYS', startFrom: -2 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } },
  ],
  tips: ['nondeterministic_output'],
  summary: 'Atomically transfers a key from one Redis instance to another.',
  since: '2.6.0',
  group: 'generic',
  complexity:
    'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
  history: [
    ['3.0.0', 'Added the `COPY` and `REPLACE` options.'],
    ['3.0.6', 'Added the `KEYS` option.'],
    ['4.0.7', 'Added the `AUTH` option.'],
    ['6.0.0', 'Added the `AUTH2` option.'],
  ],
  arguments: [
    arg('host', 'string'),
    arg('port', 'integer'),
    oneof('key-selector', [key('key', 0), token('""', { name: 'empty-string' })]),
    arg('destination-db', 'integer'),
    arg('timeout', 'integer'),
    token('COPY', { optional: true, since: '3.0.0' }),
    token('REPLACE', { optional: true, since: '3.0.0' }),
    oneof(
      'authentication',
      [
        arg('auth', 'string', { token: 'AUTH', display: 'password', since: '4.0.7' }),
        block('auth2', [arg('username', 'string'), arg('password', 'string')], { token: 'AUTH2', since: '6.0.0' }),
      ],
      { optional: true },
    ),
    key('keys', 1, { token: 'KEYS', display: 'key', optional: true, multiple: true, since: '3.0.6' }),
  ],
  getKeys: migrateKeys,
  handler(c, argv) {
    let copy = false;
    let replace = false;
    let username: Buffer | null = null;
    let password: Buffer | null = null;
    let firstKey = 3;
    let numKeys = 1;
    for (let j = 6; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      if (isWord(argv[j], 'copy')) copy = true;
      else if (isWord(argv[j], 'replace')) replace = true;
      else if (isWord(argv[j], 'auth')) {
        if (more < 1) throw E.SYNTAX;
        password = argv[++j];
      } else if (isWord(argv[j], 'auth2')) {
        if (more < 2) throw E.SYNTAX;
        username = argv[++j];
        password = argv[++j];
      } else if (isWord(argv[j], 'keys')) {
        if (argv[3].length !== 0) throw E.MIGRATE_KEYS_NEEDS_EMPTY_KEY;
        firstKey = j + 1;
        numKeys = argv.length - j - 1;
        break;
      } else throw E.SYNTAX;
    }
    let timeout = longArg(argv[5]);
    const dbid = longArg(argv[4]);
    if (timeout <= 0) timeout = 1000;

    const keys: Buffer[] = [];
    const values: Value[] = [];
    for (let j = 0; j < numKeys; j++) {
      const v = lookupRead(c, keyOf(argv[firstKey + j]));
      if (v === undefined) continue;
      keys.push(argv[firstKey + j]);
      values.push(v);
    }
    if (keys.length === 0) {
      c.reply.simple('NOKEY');
      return;
    }
    for (const v of values) if (!canWrite(v)) throw E.rdbTypeMissing(Buffer.isBuffer(v) ? 'string' : v.kind);

    const db = c.db;
    const now = c.server.now();
    const compress = c.server.config.bool('rdbcompression');
    const limits = limitsFrom(c.server.config);
    const sent: Buffer[] = [];
    const parts: Buffer[] = [];
    for (let j = 0; j < keys.length; j++) {
      const at = db.getExpire(keyOf(keys[j]));
      let ttl = 0;
      if (at !== undefined) {
        ttl = Number(at) - now;
        if (ttl < 0) continue;
        if (ttl < 1) ttl = 1;
      }
      const cmd = [RESTORE, keys[j], Buffer.from(String(ttl)), createDumpPayload(values[j], compress, undefined, limits)];
      if (replace) cmd.push(REPLACE);
      parts.push(encodeCommand(cmd));
      sent.push(keys[j]);
    }
    const auth = password === null ? null : encodeCommand(username === null ? [AUTH, password] : [AUTH, username, password]);
    const res = migrateExchange({
      host: argv[1].toString(),
      port: Number(argv[2].toString()) || 0,
      timeoutMs: timeout,
      auth,
      dbid,
      restores: Buffer.concat(parts),
      count: sent.length,
    });
    if (res.kind === 'connect-error') throw E.MIGRATE_IOERR;

    let targetError: string | null = null;
    const deleted: Buffer[] = [];
    for (let j = 0; j < res.replies.length; j++) {
      const line = res.replies[j];
      const bad = res.authReply?.startsWith('-') ? res.authReply : res.selectReply?.startsWith('-') ? res.selectReply : line.startsWith('-') ? line : null;
      if (bad !== null) {
        targetError ??= bad.slice(1);
      } else if (!copy) {
        const k = keyOf(sent[j]);
        db.delete(k);
        c.server.notify('g', 'del', k, db.id);
        c.server.dirty++;
        deleted.push(sent[j]);
      }
    }
    // Propagated as DEL of the keys the target acknowledged (nothing at all with COPY or when none was).
    if (deleted.length > 0) c.server.propagateAs([DEL, ...deleted]);
    else c.server.suppressPropagation();
    if (targetError !== null) throw E.migrateTargetError(targetError);
    if (res.socketError !== null) throw E.migrateIoError(res.socketError);
    c.reply.ok();
  },
};
