/**
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]: flush and fsync the AOF,
 * close every client and stop (the CLI then exits the process).
 * As Redis: an RDB snapshot is saved first with SAVE, or when save points
 * are configured, unless NOSAVE (a failed save refuses to stop unless
 * FORCE). There are no replicas, so NOW changes nothing; the AOF is always
 * flushed, as Redis flushes it whatever the save flags.
 */
import type { CommandSpec } from '../../lib/command.js';
import { oneof, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { aofOf, rdbOf } from '../../lib/persistence/index.js';

export const shutdown: CommandSpec = {
  name: 'shutdown',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Synchronously saves the database(s) to disk and shuts down the Redis server.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
  arguments: [
    oneof('save-selector', [token('NOSAVE'), token('SAVE')], { optional: true }),
    token('NOW', { optional: true, since: '7.0.0' }),
    token('FORCE', { optional: true, since: '7.0.0' }),
    token('ABORT', { optional: true, since: '7.0.0' }),
  ],
  handler(c, argv) {
    let nosave = false;
    let save = false;
    let force = false;
    let abort = false;
    for (let i = 1; i < argv.length; i++) {
      const w = argv[i].toString('latin1').toLowerCase();
      if (w === 'nosave') nosave = true;
      else if (w === 'save') save = true;
      else if (w === 'now') {
        /* no replicas to wait for */
      } else if (w === 'force') force = true;
      else if (w === 'abort') abort = true;
      else throw E.SYNTAX;
    }
    if ((nosave && save) || (abort && argv.length > 2)) throw E.SYNTAX;
    // No shutdown is ever left pending (there are no replicas to wait for).
    if (abort) throw E.NO_SHUTDOWN_IN_PROGRESS;
    const server = c.server;
    // While a script is busy only SHUTDOWN NOSAVE gets through (Redis's shutdownCommand).
    if (server.busyScript && !nosave) throw server.busyScript.isEval ? E.BUSY_EVAL : E.BUSY_FUNCTION;
    const aof = aofOf(server);
    if (aof.rewrite?.initial && !force) {
      // Stopping now would leave an AOF with no base: refuse, as Redis does.
      server.log('warning', 'Writing initial AOF. Exit anyway.');
      throw E.SHUTDOWN_ERRORS;
    }
    server.log('warning', 'User requested shutdown...');
    // The RDB save Redis makes on SHUTDOWN: with SAVE, or with save points configured, unless NOSAVE.
    const rdb = rdbOf(server);
    if (!nosave && !rdb.diskless && (save || server.config.get('save').trim() !== '')) {
      server.log('notice', 'Saving the final RDB snapshot before exiting.');
      try {
        rdb.saveSync();
      } catch (err) {
        server.log('warning', `Error trying to save the DB, can't exit: ${(err as Error).message}`);
        if (!force) throw E.SHUTDOWN_ERRORS;
      }
    }
    rdb.finalSaveDone = true;
    // No reply: the connection closes, as with redis-server.
    setImmediate(() => {
      server.close().then(
        () => server.onShutdown?.(),
        (err) => {
          server.log('warning', `Error during shutdown: ${(err as Error).message}`);
          server.onShutdown?.();
        },
      );
    });
  },
};
