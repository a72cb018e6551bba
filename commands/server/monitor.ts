/** MONITOR: stream every command the server runs to this connection (lines written by lib/engine/ops.ts). */
import type { CommandSpec } from '../../lib/command.js';
import * as E from '../../lib/errors.js';

export const monitor: CommandSpec = {
  name: 'monitor',
  arity: 1,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Listens for all requests received by the server in real-time.',
  since: '1.0.0',
  group: 'server',
  handler(c) {
    // From EXEC (Redis's CLIENT_DENY_BLOCKING): a transaction expects one reply per command.
    if (c.inExec) throw E.MONITOR_DENY_BLOCKING;
    // A second MONITOR is ignored (no reply), as in Redis.
    if (c.server.ops.addMonitor(c)) c.reply.ok();
  },
};
