/** BGREWRITEAOF: start compacting the AOF into a new base (lib/persistence/aof.ts does the work). */
import type { CommandSpec } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { aofOf } from '../../lib/persistence/index.js';

export const bgrewriteaof: CommandSpec = {
  name: 'bgrewriteaof',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Asynchronously rewrites the append-only file to disk.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  handler(c) {
    const aof = aofOf(c.server);
    if (aof.rewriteInProgress) throw E.AOF_REWRITE_IN_PROGRESS;
    try {
      // Switches to a new incremental file and snapshots now; the base is written over later turns.
      aof.startRewrite();
    } catch (err) {
      c.server.log('warning', `Can't rewrite the append only file: ${(err as Error).message}`);
      throw E.AOF_REWRITE_CANT_START;
    }
    c.reply.simple('Background append only file rewriting started');
  },
};
