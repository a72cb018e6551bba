/**
 * CLIENT PAUSE / UNPAUSE / REPLY / TRACKING / CACHING / GETREDIR /
 * TRACKINGINFO: the subcommands that change how the server treats a
 * connection (state and hooks in lib/engine/ops.ts and lib/engine/tracking.ts).
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, oneof, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64, word } from '../../lib/args.js';
import { PAUSE_ALL, PAUSE_WRITE, REPLY_OFF, REPLY_SKIP, REPLY_SKIP_NEXT } from '../../lib/engine/ops.js';

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

const clientPause: CommandSpec = {
  ...adminBase,
  name: 'pause',
  arity: -3,
  summary: 'Suspends commands processing.',
  since: '3.0.0',
  complexity: 'O(1)',
  history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
  arguments: [arg('timeout', 'integer'), oneof('mode', [token('WRITE'), token('ALL')], { optional: true, since: '6.2.0' })],
  handler(c, argv) {
    // Redis's clientCommand takes PAUSE with 3 or 4 arguments; the mode is checked before the timeout.
    if (argv.length > 4) throw E.subcommandSyntax(argv[1].toString(), 'client');
    let mode = PAUSE_ALL;
    if (argv.length === 4) {
      const w = word(argv[3]);
      if (w === 'write') mode = PAUSE_WRITE;
      else if (w !== 'all') throw E.CLIENT_PAUSE_MODE;
    }
    const n = parseInt64(argv[2]);
    if (n === null || typeof n !== 'number') throw E.TIMEOUT_NOT_INTEGER;
    if (n < 0) throw E.TIMEOUT_NEGATIVE;
    c.server.ops.pause(n, mode);
    c.reply.ok();
  },
};

const clientUnpause: CommandSpec = {
  ...adminBase,
  name: 'unpause',
  arity: 2,
  summary: 'Resumes processing commands from paused clients.',
  since: '6.2.0',
  complexity: 'O(N) Where N is the number of paused clients',
  handler(c) {
    // The postponed commands run after this reply.
    c.server.ops.unpause();
    c.reply.ok();
  },
};

const clientReply: CommandSpec = {
  ...base,
  name: 'reply',
  arity: 3,
  summary: 'Instructs the server whether to reply to commands.',
  since: '3.2.0',
  complexity: 'O(1)',
  arguments: [oneof('action', [token('ON'), token('OFF'), token('SKIP')])],
  handler(c, argv) {
    const w = word(argv[2]);
    if (w === 'on') {
      // Cleared before replying: this +OK is heard even after OFF or SKIP.
      c.replyControl &= ~(REPLY_OFF | REPLY_SKIP);
      c.reply.ok();
    } else if (w === 'off') {
      c.replyControl |= REPLY_OFF;
    } else if (w === 'skip') {
      if ((c.replyControl & REPLY_OFF) === 0) c.replyControl |= REPLY_SKIP_NEXT;
    } else {
      throw E.SYNTAX;
    }
  },
};

const clientTracking: CommandSpec = {
  ...base,
  name: 'tracking',
  arity: -3,
  summary: 'Controls server-assisted client-side caching for the connection.',
  since: '6.0.0',
  complexity: 'O(1). Some options may introduce additional complexity.',
  arguments: [
    oneof('status', [token('ON'), token('OFF')]),
    arg('client-id', 'integer', { token: 'REDIRECT', optional: true }),
    arg('prefix', 'string', { token: 'PREFIX', optional: true, multiple: true, multipleToken: true }),
    token('BCAST', { name: 'BCAST', optional: true }),
    token('OPTIN', { name: 'OPTIN', optional: true }),
    token('OPTOUT', { name: 'OPTOUT', optional: true }),
    token('NOLOOP', { name: 'NOLOOP', optional: true }),
  ],
  handler(c, argv) {
    const tracking = c.server.ops.tracking;
    let redirect = 0;
    const opts = { bcast: false, optin: false, optout: false, noloop: false };
    const prefixes: string[] = [];
    for (let j = 3; j < argv.length; j++) {
      const more = j < argv.length - 1;
      const w = word(argv[j]);
      if (w === 'redirect' && more) {
        j++;
        if (redirect !== 0) throw E.TRACKING_ONE_REDIRECT;
        const id = parseInt64(argv[j]);
        if (id === null) throw E.NOT_INTEGER;
        if (typeof id !== 'number' || !c.server.clients.has(id)) throw E.TRACKING_NO_REDIRECT_TARGET;
        redirect = id;
      } else if (w === 'bcast') opts.bcast = true;
      else if (w === 'optin') opts.optin = true;
      else if (w === 'optout') opts.optout = true;
      else if (w === 'noloop') opts.noloop = true;
      else if (w === 'prefix' && more) prefixes.push(argv[++j].toString('latin1'));
      else throw E.SYNTAX;
    }
    const mode = word(argv[2]);
    if (mode === 'on') {
      const state = c.tracking;
      if (!opts.bcast && prefixes.length > 0) throw E.TRACKING_PREFIX_NEEDS_BCAST;
      if (state && state.bcast !== opts.bcast) {
        throw E.TRACKING_BCAST_SWITCH;
      }
      if (opts.bcast && (opts.optin || opts.optout)) throw E.TRACKING_OPT_WITH_BCAST;
      if (opts.optin && opts.optout) throw E.TRACKING_OPTIN_AND_OPTOUT;
      if (state && ((opts.optin && state.optout) || (opts.optout && state.optin))) {
        throw E.TRACKING_OPT_SWITCH;
      }
      if (opts.bcast) {
        const collision = tracking.prefixCollision(c, prefixes);
        if (collision !== null) throw E.trackingPrefixOverlap(collision);
      }
      tracking.enable(c, redirect, opts, prefixes);
    } else if (mode === 'off') {
      tracking.disable(c);
    } else {
      throw E.SYNTAX;
    }
    c.reply.ok();
  },
};

const clientCaching: CommandSpec = {
  ...base,
  name: 'caching',
  arity: 3,
  summary: 'Instructs the server whether to track the keys in the next request.',
  since: '6.0.0',
  complexity: 'O(1)',
  arguments: [oneof('mode', [token('YES'), token('NO')])],
  handler(c, argv) {
    const state = c.tracking;
    if (!state) throw E.CACHING_NOT_TRACKING;
    const w = word(argv[2]);
    if (w === 'yes') {
      if (!state.optin) throw E.CACHING_YES_NEEDS_OPTIN;
    } else if (w === 'no') {
      if (!state.optout) throw E.CACHING_NO_NEEDS_OPTOUT;
    } else {
      throw E.SYNTAX;
    }
    state.caching = true;
    c.reply.ok();
  },
};

const clientGetredir: CommandSpec = {
  ...base,
  name: 'getredir',
  arity: 2,
  summary: "Returns the client ID to which the connection's tracking notifications are redirected.",
  since: '6.0.0',
  complexity: 'O(1)',
  handler(c) {
    const state = c.tracking;
    c.reply.int(state ? state.redirect : -1);
  },
};

const clientTrackinginfo: CommandSpec = {
  ...base,
  name: 'trackinginfo',
  arity: 2,
  summary: 'Returns information about server-assisted client-side caching for the connection.',
  since: '6.2.0',
  complexity: 'O(1)',
  handler(c) {
    const state = c.tracking;
    const flags = [state ? 'on' : 'off'];
    if (state) {
      if (state.bcast) flags.push('bcast');
      if (state.optin) flags.push('optin', ...(state.caching ? ['caching-yes'] : []));
      if (state.optout) flags.push('optout', ...(state.caching ? ['caching-no'] : []));
      if (state.noloop) flags.push('noloop');
      if (state.brokenRedirect) flags.push('broken_redirect');
    }
    c.reply.map(3);
    c.reply.bulk('flags');
    c.reply.set(flags.length);
    for (const f of flags) c.reply.bulk(f);
    c.reply.bulk('redirect');
    c.reply.int(state ? state.redirect : -1);
    c.reply.bulk('prefixes');
    const prefixes = state?.prefixes ?? [];
    c.reply.array(prefixes.length);
    for (const p of prefixes) c.reply.bulk(Buffer.from(p, 'latin1'));
  },
};

export const clientOpsSubcommands: CommandSpec[] = [
  clientPause,
  clientUnpause,
  clientReply,
  clientTracking,
  clientCaching,
  clientGetredir,
  clientTrackinginfo,
];
