/**
 * Connection commands: PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET.
 */
import type { CommandSpec } from '../lib/command.js';
import { arg, block } from '../lib/command.js';
import type { Session } from '../lib/engine/session.js';
import * as E from '../lib/errors.js';
import { intArg, word } from '../lib/args.js';
import { Proto } from '../lib/resp/writer.js';
import { REDIS_VERSION } from '../lib/version.js';
import { resetHooks } from '../lib/engine/engine.js';

const conn = { group: 'connection' };

/** Compares a password with requirepass in constant time (hashing first equalises lengths). */
export function passwordMatches(c: Session, given: Buffer): boolean {
  // node:crypto is taken on the first AUTH, not imported: loading it costs every start-up (bench/PROFILE.md).
  const { createHash, timingSafeEqual } = process.getBuiltinModule('node:crypto');
  const want = c.server.config.get('requirepass');
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(Buffer.from(want)).digest();
  return timingSafeEqual(a, b);
}

/** Checks `username`/`password` against the default user; throws WRONGPASS. */
function authenticate(c: Session, username: Buffer | null, password: Buffer): void {
  const required = c.server.config.get('requirepass');
  const userOk = username === null || username.toString() === 'default';
  // With no requirepass the default user is `nopass`: any password works for it.
  const passOk = required === '' || passwordMatches(c, password);
  if (!userOk || !passOk) {
    c.server.log('verbose', `AUTH failed for client id=${c.id}`);
    throw E.WRONGPASS;
  }
  c.authenticated = true;
}

export const ping: CommandSpec = {
  name: 'ping',
  arity: -1,
  flags: ['fast'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
  summary: 'Returns the server\'s liveliness response.',
  since: '1.0.0',
  ...conn,
  complexity: 'O(1)',
  arguments: [arg('message', 'string', { optional: true })],
  handler(c, argv) {
    if (argv.length > 2) throw E.wrongArity('ping');
    if (c.proto === Proto.RESP2 && c.isSubscribed) {
      c.reply.array(2);
      c.reply.bulk('pong');
      c.reply.bulk(argv.length === 2 ? argv[1] : '');
      return;
    }
    if (argv.length === 2) c.reply.bulk(argv[1]);
    else c.reply.simple('PONG');
  },
};

export const echo: CommandSpec = {
  name: 'echo',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Returns the given string.',
  since: '1.0.0',
  ...conn,
  complexity: 'O(1)',
  arguments: [arg('message', 'string')],
  handler(c, argv) {
    c.reply.bulk(argv[1]);
  },
};

export const auth: CommandSpec = {
  name: 'auth',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Authenticates the connection.',
  since: '1.0.0',
  ...conn,
  complexity: 'O(N) where N is the number of passwords defined for the user',
  history: [['6.0.0', 'Added ACL style (username and password).']],
  arguments: [arg('username', 'string', { optional: true, since: '6.0.0' }), arg('password', 'string')],
  handler(c, argv) {
    if (argv.length > 3) throw E.SYNTAX;
    if (argv.length === 2 && c.server.config.get('requirepass') === '') throw E.AUTH_NOT_CONFIGURED;
    authenticate(c, argv.length === 3 ? argv[1] : null, argv[argv.length - 1]);
    c.reply.ok();
  },
};

export const hello: CommandSpec = {
  name: 'hello',
  arity: -1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Handshakes with the Redis server.',
  since: '6.0.0',
  ...conn,
  complexity: 'O(1)',
  history: [['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.']],
  arguments: [
    block(
      'arguments',
      [
        arg('protover', 'integer'),
        block('username-password', [arg('username', 'string'), arg('password', 'string')], { token: 'AUTH', optional: true }),
        arg('clientname', 'string', { token: 'SETNAME', optional: true }),
      ],
      { optional: true },
    ),
  ],
  handler(c, argv) {
    let proto = c.proto;
    let i = 1;
    if (argv.length >= 2) {
      const v = intArg(argv[1], E.custom('ERR Protocol version is not an integer or out of range'));
      if (v < 2 || v > 3) throw E.NOPROTO;
      proto = v as Proto;
      i = 2;
    }
    let user: Buffer | null = null;
    let pass: Buffer | null = null;
    let name: Buffer | null = null;
    for (; i < argv.length; i++) {
      const w = word(argv[i]);
      const more = argv.length - i - 1;
      if (w === 'auth' && more >= 2) {
        user = argv[i + 1];
        pass = argv[i + 2];
        i += 2;
      } else if (w === 'setname' && more >= 1) {
        name = argv[i + 1];
        validateClientName(name);
        i += 1;
      } else {
        throw E.custom(`ERR Syntax error in HELLO option '${argv[i].toString()}'`);
      }
    }
    if (user !== null && pass !== null) authenticate(c, user, pass);
    if (!c.authenticated) throw E.custom('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    if (name !== null) c.name = name.toString();
    c.reply.proto = proto;
    c.reply.map(7);
    c.reply.bulk('server');
    c.reply.bulk('redis');
    c.reply.bulk('version');
    c.reply.bulk(REDIS_VERSION);
    c.reply.bulk('proto');
    c.reply.int(proto);
    c.reply.bulk('id');
    c.reply.int(c.id);
    c.reply.bulk('mode');
    c.reply.bulk('standalone');
    c.reply.bulk('role');
    c.reply.bulk('master');
    c.reply.bulk('modules');
    c.reply.array(0);
  },
};

/** Session names may not contain spaces, newlines or other non-printable characters. */
export function validateClientName(name: Buffer): void {
  for (const b of name) {
    if (b < 33 || b > 126) throw E.custom('ERR Session names cannot contain spaces, newlines or special characters.');
  }
}

export const select: CommandSpec = {
  name: 'select',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Changes the selected database.',
  since: '1.0.0',
  ...conn,
  complexity: 'O(1)',
  arguments: [arg('index', 'integer')],
  handler(c, argv) {
    const idx = intArg(argv[1]);
    if (idx < 0 || idx >= c.server.dbs.length) throw E.OUT_OF_RANGE_DB;
    c.db = c.server.dbs[idx];
    c.reply.ok();
  },
};

export const quit: CommandSpec = {
  name: 'quit',
  arity: -1,
  flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Closes the connection.',
  since: '1.0.0',
  ...conn,
  complexity: 'O(1)',
  deprecatedSince: '7.2.0',
  replacedBy: 'just closing the connection',
  docFlags: ['deprecated'],
  handler(c) {
    c.reply.ok();
    c.closeAfterReply();
  },
};

export const reset: CommandSpec = {
  name: 'reset',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  acl: ['fast', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Resets the connection.',
  since: '6.2.0',
  ...conn,
  complexity: 'O(1)',
  handler(c) {
    c.multi = null;
    c.unwatchAll();
    c.db = c.server.dbs[0];
    c.reply.proto = Proto.RESP2;
    c.name = '';
    c.noEvict = false;
    c.noTouch = false;
    for (const h of resetHooks) h(c);
    c.authenticated = c.server.config.get('requirepass') === '';
    c.reply.simple('RESET');
  },
};

export const connectionCommands: CommandSpec[] = [ping, echo, auth, hello, select, quit, reset];
