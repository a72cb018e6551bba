/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * The dispatcher queues commands between MULTI and EXEC and marks queue-time
 * errors (client.multi.error). EXEC then either refuses (EXECABORT), aborts
 * with a null array (a WATCHed key changed, or expired since WATCH), or runs
 * every queued command through the dispatcher's call() inside one AOF
 * MULTI/EXEC unit, replying with an array of their replies (errors included).
 */
import type { CommandSpec } from '../lib/command.js';
import type { Session } from '../lib/engine/session.js';
import { keyOf } from '../lib/engine/keyspace.js';
import * as E from '../lib/errors.js';
import { call } from '../lib/engine/dispatch.js';
import { CommandQueue } from '../lib/engine/queue.js';

/** Forgets the queued commands and every WATCHed key (Redis's discardTransaction). */
function discardTransaction(c: Session): void {
  c.multi = null;
  c.unwatchAll();
}

/** True when a key that was live at WATCH time has logically expired since (Redis's isWatchedKeyExpired). */
function watchedKeyExpired(c: Session): boolean {
  for (const [db, keys] of c.watched) {
    for (const [key, expiredAtWatch] of keys) if (!expiredAtWatch && db.isExpired(key)) return true;
  }
  return false;
}

export const multi: CommandSpec = {
  name: 'multi',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Starts a transaction.',
  since: '1.2.0',
  group: 'transactions',
  complexity: 'O(1)',
  handler(c) {
    if (c.multi) throw E.MULTI_NESTED;
    c.multi = { queue: new CommandQueue(), error: false };
    c.reply.ok();
  },
};

export const exec: CommandSpec = {
  name: 'exec',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
  acl: ['slow', 'transaction'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Executes all commands in a transaction.',
  since: '1.2.0',
  group: 'transactions',
  complexity: 'Depends on commands in the transaction',
  handler(c) {
    const tx = c.multi;
    if (!tx) throw E.EXEC_WITHOUT_MULTI;
    if (tx.error) {
      discardTransaction(c);
      throw E.EXECABORT;
    }
    if (c.dirtyCas || watchedKeyExpired(c)) {
      discardTransaction(c);
      c.reply.nullArray();
      return;
    }
    discardTransaction(c);
    c.reply.array(tx.queue.length);
    // EXEC itself is not logged: its commands add their effects to the unit, fed as one MULTI/EXEC when EXEC returns.
    c.server.suppressPropagation();
    c.inExec = true;
    try {
      for (const q of tx.queue.commands()) call(c, q.spec, q.fullName, q.argv);
    } finally {
      c.inExec = false;
    }
  },
};

export const discard: CommandSpec = {
  name: 'discard',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Discards a transaction.',
  since: '2.0.0',
  group: 'transactions',
  complexity: 'O(N), when N is the number of queued commands',
  handler(c) {
    if (!c.multi) throw E.DISCARD_WITHOUT_MULTI;
    discardTransaction(c);
    c.reply.ok();
  },
};

export const watch: CommandSpec = {
  name: 'watch',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  firstKey: 1,
  lastKey: -1,
  step: 1,
  keySpecs: [{ flags: ['RO'], beginSearch: { index: 1 }, findKeys: { lastKey: -1, keyStep: 1, limit: 0 } }],
  summary: 'Monitors changes to keys to determine the execution of a transaction.',
  since: '2.2.0',
  group: 'transactions',
  complexity: 'O(1) for every key.',
  arguments: [
    { name: 'key', type: 'key', keySpecIndex: 0, multiple: true },
  ],
  handler(c, argv) {
    if (c.multi) throw E.WATCH_IN_MULTI;
    // Already doomed: no point watching more.
    if (!c.dirtyCas) {
      const db = c.db;
      let keys = c.watched.get(db);
      if (!keys) c.watched.set(db, (keys = new Map()));
      for (let i = 1; i < argv.length; i++) {
        const key = keyOf(argv[i]);
        if (keys.has(key)) continue;
        // Remember a key that is stored but already expired: its later deletion is no change.
        keys.set(key, db.data.has(key) && db.isExpired(key));
        let clients = db.watchers.get(key);
        if (!clients) db.watchers.set(key, (clients = new Set()));
        clients.add(c);
      }
    }
    c.reply.ok();
  },
};

export const unwatch: CommandSpec = {
  name: 'unwatch',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  acl: ['fast', 'transaction'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'Forgets about watched keys of a transaction.',
  since: '2.2.0',
  group: 'transactions',
  complexity: 'O(1)',
  handler(c) {
    c.unwatchAll();
    c.reply.ok();
  },
};

export const transactionCommands: CommandSpec[] = [multi, exec, discard, watch, unwatch];
