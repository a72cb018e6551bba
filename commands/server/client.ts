/**
 * CLIENT and its subcommands: ID, SETNAME, GETNAME, LIST, INFO, KILL,
 * SETINFO, NO-EVICT, NO-TOUCH, UNBLOCK, GETREDIR, HELP.
 */
import type { CommandSpec } from '../../lib/command.js';
import { helpSubcommand, type HelpEntry } from '../../lib/help.js';
import { arg, block, oneof, token } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { parseInt64, word } from '../../lib/args.js';
import { Proto } from '../../lib/resp/writer.js';
import { setClientDescriber } from '../../lib/engine/engine.js';
import { clientOpsSubcommands } from './client-ops.js';

const base = {
  flags: ['noscript', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['slow', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'connection',
};
const adminBase = {
  ...base,
  flags: ['admin', 'noscript', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['admin', 'slow', 'dangerous', 'connection'],
};

// ---- CLIENT LIST / INFO line -------------------------------------------------

/** Redis's client flags letters, in Redis's order; N when none apply. */
function flagsOf(c: Session): string {
  let f = '';
  if (c.monitoring) f += 'O';
  if (c.isSubscribed) f += 'P';
  if (c.multi) f += 'x';
  // A command postponed by CLIENT PAUSE blocks its client too (Redis's BLOCKED_POSTPONE).
  if (c.blocked || c.postponed !== null) f += 'b';
  const tracking = c.tracking;
  if (tracking !== null) {
    f += 't';
    if (tracking.brokenRedirect) f += 'R';
    if (tracking.bcast) f += 'B';
  }
  if (c.dirtyCas) f += 'd';
  if (c.closing) f += 'c';
  if (c.link !== null && c.link.remoteAddress === undefined) f += 'U';
  if (c.noEvict) f += 'e';
  if (c.noTouch) f += 'T';
  return f === '' ? 'N' : f;
}

function watchedCount(c: Session): number {
  let n = 0;
  for (const keys of c.watched.values()) n += keys.size;
  return n;
}

/** One CLIENT LIST / CLIENT INFO line (without the trailing newline), fields in Redis 7.4's order. */
export function clientInfoLine(c: Session): string {
  const now = Date.now();
  const qbuf = c.link?.queryBufferBytes() ?? 0;
  const omem = c.link?.outputBytes() ?? 0;
  return [
    `id=${c.id}`,
    `addr=${c.addr}`,
    `laddr=${c.laddr}`,
    `fd=${c.link?.fd ?? -1}`,
    `name=${c.name}`,
    `age=${Math.floor((now - c.createdAt) / 1000)}`,
    `idle=${Math.floor((now - c.lastInteraction) / 1000)}`,
    `flags=${flagsOf(c)}`,
    `db=${c.db.id}`,
    `sub=${c.channels.size}`,
    `psub=${c.patterns.size}`,
    `ssub=${c.shardChannels.size}`,
    `multi=${c.multi ? c.multi.queue.length : -1}`,
    `watch=${watchedCount(c)}`,
    `qbuf=${qbuf}`,
    `qbuf-free=0`,
    `argv-mem=0`,
    `multi-mem=0`,
    `rbs=${c.reply.size}`,
    `rbp=${c.reply.size}`,
    `obl=0`,
    `oll=0`,
    `omem=${omem}`,
    `tot-mem=${qbuf + omem + c.reply.size}`,
    `events=${omem > 0 ? 'rw' : 'r'}`,
    `cmd=${c.lastCommand}`,
    `user=default`,
    `redir=${c.tracking?.redirect ?? -1}`,
    `resp=${c.proto === Proto.RESP3 ? 3 : 2}`,
    `lib-name=${c.libName}`,
    `lib-ver=${c.libVer}`,
  ].join(' ');
}

// `loglevel verbose` logs a closing client's CLIENT LIST line, as Redis does.
setClientDescriber(clientInfoLine);

type ClientType = 'normal' | 'pubsub' | 'master' | 'replica';

function clientType(c: Session): ClientType {
  return c.isSubscribed ? 'pubsub' : 'normal';
}

/** TYPE argument of CLIENT LIST / KILL: normal, master, replica (slave), pubsub. */
function parseType(b: Buffer): ClientType {
  const t = word(b);
  if (t === 'normal' || t === 'pubsub' || t === 'master') return t;
  if (t === 'replica' || t === 'slave') return 'replica';
  throw E.UNKNOWN_CLIENT_TYPE(b.toString());
}

// ---- subcommands ---------------------------------------------------------------

const id: CommandSpec = {
  ...base,
  name: 'id',
  arity: 2,
  summary: 'Returns the unique client ID of the connection.',
  since: '5.0.0',
  complexity: 'O(1)',
  handler(c) {
    c.reply.int(c.id);
  },
};

const setname: CommandSpec = {
  ...base,
  name: 'setname',
  arity: 3,
  // Redis 7.4's tips (7.0 had none): a cluster client sets the name on every node.
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  summary: 'Sets the connection name.',
  since: '2.6.9',
  complexity: 'O(1)',
  arguments: [arg('connection-name', 'string')],
  handler(c, argv) {
    for (const b of argv[2]) if (b < 33 || b > 126) throw E.CLIENT_NAME_CHARS;
    c.name = argv[2].toString('latin1');
    c.reply.ok();
  },
};

const getname: CommandSpec = {
  ...base,
  name: 'getname',
  arity: 2,
  summary: 'Returns the name of the connection.',
  since: '2.6.9',
  complexity: 'O(1)',
  handler(c) {
    if (c.name === '') c.reply.nullBulk();
    else c.reply.bulkLatin1(c.name);
  },
};

const list: CommandSpec = {
  ...adminBase,
  name: 'list',
  arity: -2,
  tips: ['nondeterministic_output'],
  summary: 'Lists open connections.',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of client connections',
  history: [
    ['2.8.12', 'Added unique client `id` field.'],
    ['5.0.0', 'Added optional `TYPE` filter.'],
    ['6.0.0', 'Added `user` field.'],
    ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'],
    ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'],
    ['7.0.3', 'Added `ssub` field.'],
    ['7.2.0', 'Added `lib-name` and `lib-ver` fields.'],
    ['7.4.0', 'Added `watch` field.'],
  ],
  arguments: [
    oneof(
      'client-type',
      [token('NORMAL'), token('MASTER'), token('REPLICA'), token('PUBSUB')],
      { token: 'TYPE', optional: true, since: '5.0.0' },
    ),
    arg('client-id', 'integer', { token: 'ID', optional: true, multiple: true, since: '6.2.0' }),
  ],
  handler(c, argv) {
    let clients = [...c.server.clients.values()];
    if (argv.length === 4 && word(argv[2]) === 'type') {
      const type = parseType(argv[3]);
      clients = clients.filter((x) => clientType(x) === type);
    } else if (argv.length >= 4 && word(argv[2]) === 'id') {
      const ids: number[] = [];
      for (const b of argv.slice(3)) {
        const n = parseInt64(b);
        if (n === null || typeof n === 'bigint' || n <= 0) throw E.INVALID_CLIENT_ID;
        ids.push(n);
      }
      // In the order asked, each existing one once, as Redis does.
      clients = [...new Set(ids)].map((i) => c.server.clients.get(i)).filter((x): x is Session => x !== undefined);
    } else if (argv.length !== 2) {
      throw E.SYNTAX;
    }
    let text = '';
    for (const x of clients) text += clientInfoLine(x) + '\n';
    c.reply.verbatim(text);
  },
};

const info: CommandSpec = {
  ...base,
  name: 'info',
  arity: 2,
  tips: ['nondeterministic_output'],
  summary: 'Returns information about the connection.',
  since: '6.2.0',
  complexity: 'O(1)',
  handler(c) {
    c.reply.verbatim(clientInfoLine(c) + '\n');
  },
};

interface KillFilter {
  id?: number;
  addr?: string;
  laddr?: string;
  type?: ClientType;
  user?: string;
  skipMe: boolean;
  maxAge?: number;
}

const kill: CommandSpec = {
  ...adminBase,
  name: 'kill',
  arity: -3,
  summary: 'Terminates open connections.',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of client connections',
  history: [
    ['2.8.12', 'Added new filter format.'],
    ['2.8.12', '`ID` option.'],
    ['3.2.0', 'Added `master` type in for `TYPE` option.'],
    ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'],
    ['6.2.0', '`LADDR` option.'],
    ['7.4.0', '`MAXAGE` option.'],
  ],
  arguments: [
    oneof('filter', [
      arg('old-format', 'string', { display: 'ip:port' }),
      block(
        'new-format',
        [
          arg('client-id', 'integer', { token: 'ID', optional: true, since: '2.8.12' }),
          oneof('client-type', [token('NORMAL'), token('MASTER'), token('SLAVE'), token('REPLICA'), token('PUBSUB')], {
            token: 'TYPE',
            optional: true,
            since: '2.8.12',
          }),
          arg('username', 'string', { token: 'USER', optional: true }),
          arg('addr', 'string', { token: 'ADDR', display: 'ip:port', optional: true }),
          arg('laddr', 'string', { token: 'LADDR', display: 'ip:port', optional: true, since: '6.2.0' }),
          oneof('skipme', [token('YES'), token('NO')], { token: 'SKIPME', optional: true }),
          arg('maxage', 'integer', { token: 'MAXAGE', optional: true, since: '7.4.0' }),
        ],
        { multiple: true },
      ),
    ]),
  ],
  handler(c, argv) {
    if (argv.length === 3) {
      // Old form: CLIENT KILL ip:port — OK or "No such client".
      const addr = argv[2].toString();
      const target = [...c.server.clients.values()].find((x) => x.addr === addr);
      if (!target) throw E.NO_SUCH_CLIENT;
      c.reply.ok();
      killClient(c, target);
      return;
    }
    if (argv.length % 2 !== 0) throw E.SYNTAX;
    const f: KillFilter = { skipMe: true };
    for (let i = 2; i < argv.length; i += 2) {
      const opt = word(argv[i]);
      const v = argv[i + 1];
      if (opt === 'id') {
        const n = parseInt64(v);
        if (n === null || typeof n === 'bigint' || n <= 0) throw E.CLIENT_ID_NOT_POSITIVE;
        f.id = n;
      } else if (opt === 'type') {
        f.type = parseType(v);
      } else if (opt === 'addr') {
        f.addr = v.toString();
      } else if (opt === 'laddr') {
        f.laddr = v.toString();
      } else if (opt === 'user') {
        if (v.toString() !== 'default') throw E.noSuchUser(v.toString());
        f.user = 'default';
      } else if (opt === 'skipme') {
        const w = word(v);
        if (w === 'yes') f.skipMe = true;
        else if (w === 'no') f.skipMe = false;
        else throw E.SYNTAX;
      } else if (opt === 'maxage') {
        const n = parseInt64(v);
        if (n === null) throw E.MAXAGE_NOT_INTEGER;
        if (n <= 0) throw E.MAXAGE_NOT_POSITIVE;
        f.maxAge = Number(n);
      } else {
        throw E.SYNTAX;
      }
    }
    const now = Date.now();
    const victims = [...c.server.clients.values()].filter(
      (x) =>
        (f.id === undefined || x.id === f.id) &&
        (f.type === undefined || clientType(x) === f.type) &&
        (f.addr === undefined || x.addr === f.addr) &&
        (f.laddr === undefined || x.laddr === f.laddr) &&
        (f.maxAge === undefined || (now - x.createdAt) / 1000 >= f.maxAge) &&
        !(f.skipMe && x === c),
    );
    c.reply.int(victims.length);
    for (const x of victims) killClient(c, x);
  },
};

/** Closes a client: the caller itself only after this reply is written; others at once. */
function killClient(caller: Session, target: Session): void {
  if (target === caller) target.closeAfterReply();
  else {
    caller.server.log('verbose', `Session id=${target.id} addr=${target.addr} killed by CLIENT KILL`);
    target.close();
  }
}

const setinfo: CommandSpec = {
  ...base,
  name: 'setinfo',
  arity: 4,
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  summary: 'Sets information specific to the client or connection.',
  since: '7.2.0',
  complexity: 'O(1)',
  arguments: [
    oneof('attr', [arg('libname', 'string', { token: 'LIB-NAME' }), arg('libver', 'string', { token: 'LIB-VER' })]),
  ],
  handler(c, argv) {
    const attr = word(argv[2]);
    if (attr !== 'lib-name' && attr !== 'lib-ver') throw E.unrecognizedSetinfoOption(argv[2].toString());
    for (const b of argv[3]) if (b < 33 || b > 126) throw E.setinfoBadChars(argv[2].toString());
    if (attr === 'lib-name') c.libName = argv[3].toString('latin1');
    else c.libVer = argv[3].toString('latin1');
    c.reply.ok();
  },
};

function onOff(name: string, summary: string, since: string, set: (c: Session, on: boolean) => void): CommandSpec {
  return {
    ...adminBase,
    name,
    arity: 3,
    summary,
    since,
    complexity: 'O(1)',
    arguments: [oneof('enabled', [token('ON'), token('OFF')])],
    handler(c, argv) {
      const w = word(argv[2]);
      if (w !== 'on' && w !== 'off') throw E.SYNTAX;
      set(c, w === 'on');
      c.reply.ok();
    },
  };
}

const noEvict = onOff('no-evict', 'Sets the client eviction mode of the connection.', '7.0.0', (c, on) => (c.noEvict = on));
const noTouch: CommandSpec = {
  ...onOff('no-touch', 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.', '7.2.0', (c, on) => (c.noTouch = on)),
  flags: ['noscript', 'loading', 'stale'],
  acl: ['slow', 'connection'],
};

const unblock: CommandSpec = {
  ...adminBase,
  name: 'unblock',
  arity: -3,
  summary: 'Unblocks a client blocked by a blocking command from a different connection.',
  since: '5.0.0',
  complexity: 'O(log N) where N is the number of client connections',
  arguments: [
    arg('client-id', 'integer'),
    oneof('unblock-type', [token('TIMEOUT'), token('ERROR')], { optional: true }),
  ],
  handler(c, argv) {
    const n = parseInt64(argv[2]);
    if (n === null) throw E.NOT_INTEGER;
    let asError = false;
    if (argv.length === 4) {
      const w = word(argv[3]);
      if (w === 'error') asError = true;
      else if (w !== 'timeout') throw E.CLIENT_UNBLOCK_REASON;
    } else if (argv.length > 4) {
      throw E.CLIENT_UNBLOCK_REASON;
    }
    const target = typeof n === 'number' ? c.server.clients.get(n) : undefined;
    if (!target || !target.blocked) {
      c.reply.int(0);
      return;
    }
    if (asError) c.server.blocking.fail(target, E.UNBLOCKED_BY_CLIENT);
    else c.server.blocking.timeout(target);
    c.reply.int(1);
  },
};

/** CLIENT HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['caching', ['CACHING (YES|NO)', '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.']],
  ['getredir', ['GETREDIR', '    Return the client ID we are redirecting to when tracking is enabled.']],
  ['getname', ['GETNAME', '    Return the name of the current connection.']],
  ['id', ['ID', '    Return the ID of the current connection.']],
  ['info', ['INFO', '    Return information about the current client connection.']],
  ['kill', ['KILL <ip:port>', '    Kill connection made from <ip:port>.']],
  ['kill', ['KILL <option> <value> [<option> <value> [...]]', '    Kill connections. Options are:', '    * ADDR (<ip:port>|<unixsocket>:0)', '      Kill connections made from the specified address', '    * LADDR (<ip:port>|<unixsocket>:0)', '      Kill connections made to specified local address', '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)', '      Kill connections by type.', '    * USER <username>', '      Kill connections authenticated by <username>.', '    * SKIPME (YES|NO)', '      Skip killing current connection (default: yes).', '    * ID <client-id>', '      Kill connections by client id.', '    * MAXAGE <maxage>', '      Kill connections older than the specified age.']],
  ['list', ['LIST [options ...]', '    Return information about client connections. Options:', '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)', '      Return clients of specified type.']],
  ['unpause', ['UNPAUSE', '    Stop the current client pause, resuming traffic.']],
  ['pause', ['PAUSE <timeout> [WRITE|ALL]', '    Suspend all, or just write, clients for <timeout> milliseconds.']],
  ['reply', ['REPLY (ON|OFF|SKIP)', '    Control the replies sent to the current connection.']],
  ['setname', ['SETNAME <name>', '    Assign the name <name> to the current connection.']],
  ['setinfo', ['SETINFO <option> <value>', '    Set client meta attr. Options are:', '    * LIB-NAME: the client lib name.', '    * LIB-VER: the client lib version.']],
  ['unblock', ['UNBLOCK <clientid> [TIMEOUT|ERROR]', '    Unblock the specified blocked client.']],
  ['tracking', ['TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]', '         [OPTIN] [OPTOUT] [NOLOOP]', '    Control server assisted client side caching.']],
  ['trackinginfo', ['TRACKINGINFO', '    Report tracking status for the current connection.']],
  ['no-evict', ['NO-EVICT (ON|OFF)', '    Protect current client connection from eviction.']],
  ['no-touch', ['NO-TOUCH (ON|OFF)', '    Will not touch LRU/LFU stats when this mode is on.']],
];

const help = helpSubcommand('client', HELP, { group: 'connection', acl: ['slow', 'connection'], since: '5.0.0' });

export const client: CommandSpec = {
  name: 'client',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'connection',
  summary: 'A container for client connection commands.',
  since: '2.4.0',
  complexity: 'Depends on subcommand.',
  subcommands: [id, setname, getname, list, info, kill, setinfo, noEvict, noTouch, unblock, ...clientOpsSubcommands, help],
};
