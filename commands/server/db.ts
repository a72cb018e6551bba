/** DBSIZE, FLUSHDB, FLUSHALL, SWAPDB: whole-database commands. */
import type { CommandSpec } from '../../lib/command.js';
import { arg, oneof, token } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import type { Database, Value } from '../../lib/engine/keyspace.js';
import type { I64 } from '../../lib/stream/id.js';
import * as E from '../../lib/errors.js';
import { intArg, word } from '../../lib/args.js';

const ALL_SHARDS_SUM = ['request_policy:all_shards', 'response_policy:agg_sum'];
const ALL_SHARDS_OK = ['request_policy:all_shards', 'response_policy:all_succeeded'];
const none = { firstKey: 0, lastKey: 0, step: 0 };
const flushMode = oneof('flush-type', [token('ASYNC', { since: '4.0.0' }), token('SYNC', { since: '6.2.0' })], { optional: true });

export const dbsize: CommandSpec = {
  name: 'dbsize',
  arity: 1,
  flags: ['readonly', 'fast'],
  acl: ['keyspace', 'read', 'fast'],
  ...none,
  tips: ALL_SHARDS_SUM,
  group: 'server',
  summary: 'Returns the number of keys in the database.',
  since: '1.0.0',
  complexity: 'O(1)',
  handler(c) {
    c.reply.int(c.db.size);
  },
};

/** ASYNC / SYNC (or nothing) is all FLUSHDB and FLUSHALL accept. Redis frees synchronously either way for us. */
function checkFlushArgs(argv: Buffer[]): void {
  if (argv.length > 2) throw E.SYNTAX;
  if (argv.length === 2) {
    const w = word(argv[1]);
    if (w !== 'async' && w !== 'sync') throw E.SYNTAX;
  }
}

/**
 * Whether Redis 7.4 would free this flush in the background (its lazyfree
 * thread), counting the keys in INFO's lazyfreed_objects: ASYNC, or no
 * argument with lazyfree-lazy-user-flush yes — and SYNC too, which 7.4 runs
 * as a blocking ASYNC flush, except where a client may not block (inside
 * MULTI/EXEC). rivulet frees at once either way; only the counter differs.
 */
function flushedLazily(c: Session, argv: Buffer[]): boolean {
  const mode = argv.length === 2 ? word(argv[1]) : c.server.config.bool('lazyfree-lazy-user-flush') ? 'async' : 'sync';
  return mode === 'async' || c.server.callDepth <= 1;
}

/** Empties one database: watchers are told, blocked readers see the keys vanish. */
function flushDb(c: Session, index: number): number {
  const db = c.server.dbs[index];
  const keys = [...db.data.keys()];
  const n = db.flush();
  // Clients blocked on a key (XREADGROUP on a deleted stream) must be re-checked, as after DEL.
  for (const k of keys) if (c.server.blocking.hasWaiters(db, k)) c.server.blocking.signal(db, k);
  return n;
}

export const flushdb: CommandSpec = {
  name: 'flushdb',
  arity: -1,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow', 'dangerous'],
  ...none,
  tips: ALL_SHARDS_OK,
  group: 'server',
  summary: 'Removes all keys from the current database.',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys in the selected database',
  history: [
    ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
    ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
  ],
  arguments: [flushMode],
  handler(c, argv) {
    checkFlushArgs(argv);
    const n = flushDb(c, c.db.id);
    if (flushedLazily(c, argv)) c.server.stats.lazyfreedObjects += n;
    // Always propagated, even when the db was already empty (as Redis does).
    c.server.dirty++;
    c.reply.ok();
  },
};

export const flushall: CommandSpec = {
  name: 'flushall',
  arity: -1,
  flags: ['write'],
  acl: ['keyspace', 'write', 'slow', 'dangerous'],
  ...none,
  tips: ALL_SHARDS_OK,
  group: 'server',
  summary: 'Removes all keys from all databases.',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  history: [
    ['4.0.0', 'Added the `ASYNC` flushing mode modifier.'],
    ['6.2.0', 'Added the `SYNC` flushing mode modifier.'],
  ],
  arguments: [flushMode],
  handler(c, argv) {
    checkFlushArgs(argv);
    let n = 0;
    for (let i = 0; i < c.server.dbs.length; i++) n += flushDb(c, i);
    if (flushedLazily(c, argv)) c.server.stats.lazyfreedObjects += n;
    c.server.dirty++;
    c.reply.ok();
  },
};

export const swapdb: CommandSpec = {
  name: 'swapdb',
  arity: 3,
  flags: ['write', 'fast'],
  acl: ['keyspace', 'write', 'fast', 'dangerous'],
  ...none,
  group: 'server',
  summary: 'Swaps two Redis databases.',
  since: '4.0.0',
  complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  arguments: [arg('index1', 'integer'), arg('index2', 'integer')],
  handler(c, argv) {
    const a = intArg(argv[1], E.SWAPDB_INVALID_FIRST);
    const b = intArg(argv[2], E.SWAPDB_INVALID_SECOND);
    const dbs = c.server.dbs;
    if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) throw E.OUT_OF_RANGE_DB;
    if (a !== b) swapDatabases(c, a, b);
    c.server.dirty++;
    c.reply.ok();
  },
};

/**
 * Swaps the contents of two databases. Database objects keep their ids and
 * their WATCH/blocking registrations (clients stay "in" db N); only the data
 * moves, so watched keys whose value changed are dirtied and blocked readers
 * are offered the new contents, as Redis does.
 */
function swapDatabases(c: Session, a: number, b: number): void {
  const A = c.server.dbs[a];
  const B = c.server.dbs[b];
  // Keys keep their idle time (OBJECT IDLETIME): Redis moves the objects, LRU clock included.
  const snapshot = (db: typeof A): { data: [string, Value, number][]; expires: [string, I64][] } => ({
    data: [...db.entries()].map(([k, v]) => [k, v, db.idleMs(k)]),
    expires: [...db.expires.entries()],
  });
  const now = c.server.now();
  touchWatchedForSwap(A, B, now);
  touchWatchedForSwap(B, A, now);
  const sa = snapshot(A);
  const sb = snapshot(B);
  // Database.set keeps its tickets and hooks consistent; rebuild each side from the other's snapshot.
  // WATCHers were told above, by Redis's rule; the rebuild must not dirty them again (blocked readers are still offered the keys).
  const watchersA = new Map(A.watchers);
  const watchersB = new Map(B.watchers);
  A.watchers.clear();
  B.watchers.clear();
  try {
    A.flush();
    B.flush();
    for (const [k, v, idle] of sb.data) {
      A.set(k, v);
      A.setIdle(k, idle);
    }
    for (const [k, at] of sb.expires) A.setExpire(k, at);
    for (const [k, v, idle] of sa.data) {
      B.set(k, v);
      B.setIdle(k, idle);
    }
    for (const [k, at] of sa.expires) B.setExpire(k, at);
  } finally {
    for (const [k, w] of watchersA) A.watchers.set(k, w);
    for (const [k, w] of watchersB) B.watchers.set(k, w);
  }
}

/** Tells the WATCHers of `emptied`'s keys what SWAPDB puts there instead (Redis's touchAllWatchedKeysInDb). */
function touchWatchedForSwap(emptied: Database, replacedWith: Database, now: number): void {
  for (const [key, watchers] of emptied.watchers) {
    const existed = emptied.data.has(key);
    const at = replacedWith.expires.get(key);
    const replacement = !replacedWith.data.has(key) ? 'none' : at !== undefined && at <= now ? 'expired' : 'live';
    if (!existed && replacement === 'none') continue;
    for (const w of watchers) w.swapTouched(emptied, key, existed, replacement);
  }
}

export const dbCommands: CommandSpec[] = [dbsize, flushdb, flushall, swapdb];
