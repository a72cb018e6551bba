/**
 * SAVE and BGSAVE [SCHEDULE]: RDB snapshots of the whole dataset into
 * `dir`/`dbfilename` (lib/persistence/rdb.ts does the work). BGSAVE copies
 * the data at once and writes it over later event-loop turns, so clients
 * keep being served; there is no fork, so "child process" in the replies
 * means the running background job.
 */
import type { CommandSpec } from '../../lib/command.js';
import { token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { aofOf, rdbOf } from '../../lib/persistence/index.js';

const none = { firstKey: 0, lastKey: 0, step: 0 };

export const save: CommandSpec = {
  name: 'save',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  acl: ['admin', 'slow', 'dangerous'],
  ...none,
  summary: 'Synchronously saves the database(s) to disk.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(N) where N is the total number of keys in all databases',
  handler(c) {
    const rdb = rdbOf(c.server);
    if (rdb.bgsave) throw E.BGSAVE_IN_PROGRESS;
    try {
      rdb.saveSync();
    } catch (err) {
      c.server.log('warning', `SAVE failed: ${(err as Error).message}`);
      throw E.SAVE_FAILED;
    }
    c.reply.ok();
  },
};

export const bgsave: CommandSpec = {
  name: 'bgsave',
  arity: -1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  acl: ['admin', 'slow', 'dangerous'],
  ...none,
  summary: 'Asynchronously saves the database(s) to disk.',
  since: '1.0.0',
  group: 'server',
  complexity: 'O(1)',
  history: [['3.2.2', 'Added the `SCHEDULE` option.']],
  arguments: [token('SCHEDULE', { optional: true, since: '3.2.2' })],
  handler(c, argv) {
    let schedule = false;
    if (argv.length > 1) {
      if (argv.length === 2 && argv[1].toString('latin1').toLowerCase() === 'schedule') schedule = true;
      else throw E.SYNTAX;
    }
    const rdb = rdbOf(c.server);
    if (rdb.bgsave) throw E.BGSAVE_IN_PROGRESS;
    if (aofOf(c.server).rewriteInProgress || c.inExec) {
      // Redis runs one child at a time; inside MULTI it always schedules.
      if (!schedule && !c.inExec) throw E.BGSAVE_CHILD_ACTIVE;
      rdb.scheduled = true;
      c.reply.simple('Background saving scheduled');
      return;
    }
    try {
      rdb.startBgsave();
    } catch (err) {
      c.server.log('warning', `Can't save in background: ${(err as Error).message}`);
      throw E.SAVE_FAILED;
    }
    c.reply.simple('Background saving started');
  },
};

export const saveCommands: CommandSpec[] = [save, bgsave];
