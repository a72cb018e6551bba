/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, XREAD/XREADGROUP BLOCK,
 * ...): who waits on which key, FIFO wake-ups, timeouts, CLIENT UNBLOCK.
 *
 * Blocking by re-execution, as Redis 7.2+ does: a handler that finds nothing
 * to serve calls `block()` with plain data — the keys, the deadline, the type
 * of value it waits for, and the command to run again. Whenever a write
 * signals a key ready, the engine (after the current command finishes) offers
 * the key to its waiters in the order they blocked: a waiter whose key now
 * holds the awaited type (or any waiter that asked to be woken when its key
 * goes away, like XREADGROUP) is unblocked and its command re-run through
 * call(), so its reply, its errors (NOGROUP, WRONGTYPE), its statistics and
 * its propagation are exactly those of a first run. A command that still
 * finds nothing blocks again, behind the others. A timeout writes the null
 * array every blocking command answers with.
 *
 * There are no per-command closures: everything a wake-up needs is in the
 * BlockState.
 */
import type { Session } from './session.js';
import type { Database } from './keyspace.js';
import type { CommandSpec } from '../command.js';

export interface BlockRequest {
  /** The keys to wait on (latin1 strings). */
  keys: string[];
  /** Unix ms when the block times out, 0 = never. */
  timeoutAt: number;
  /** TYPE name of the value that can serve the client (`list`, `zset`, `stream`). */
  type: string;
  /** Wake (re-run) even when the key was deleted or changed type: XREADGROUP, whose group goes with its key. */
  unblockOnNoKey?: boolean;
  /** The command to re-run, when it differs from the one received (XREAD's `$` becomes the concrete ID). */
  argv?: Buffer[];
}

export interface BlockState {
  db: Database;
  keys: string[];
  /** Unix ms when the block times out, 0 = never. */
  timeoutAt: number;
  type: string;
  unblockOnNoKey: boolean;
  /** The command re-run on wake-up. */
  spec: CommandSpec;
  fullName: string;
  argv: Buffer[];
  /** Time spent in the command's runs so far (commandstats counts a blocking command once, when it ends). */
  usec: number;
  timer?: NodeJS.Timeout;
}

/** The command a session is running (set by call()), so block() knows what to re-run. */
export interface RunningCommand {
  spec: CommandSpec;
  fullName: string;
  argv: Buffer[];
}

/** What the engine provides for re-running and accounting. */
export interface BlockingHost {
  /** Re-runs a woken client's command through call(). */
  reexecute(c: Session, state: BlockState): void;
  /** A block ended without a re-run (timeout, CLIENT UNBLOCK): count the call once, as Redis's updateStatsOnUnblock. */
  blockEnded(state: BlockState, errorCode: string | null): void;
  /** The TYPE name of the live value at key, or null when there is none. */
  typeAt(db: Database, key: string): string | null;
}

export class BlockingRegistry {
  /** db id → key → clients in blocking order. */
  private readonly waiting = new Map<number, Map<string, Session[]>>();
  /** Keys signalled since the last serve, in signal order. */
  private ready: { db: Database; key: string }[] = [];
  private readySet = new Set<string>();
  blockedClients = 0;
  /** Set while a woken client's command is re-run: a block during it keeps the original deadline and time. */
  private rerun: BlockState | null = null;
  host: BlockingHost | null = null;

  /** Blocks `c` on the running command `cmd` (called by a handler through Session.block). */
  block(c: Session, cmd: RunningCommand, req: BlockRequest): void {
    const prev = this.rerun !== null && this.rerun.spec === cmd.spec ? this.rerun : null;
    const state: BlockState = {
      db: c.db,
      keys: req.keys,
      timeoutAt: prev !== null ? prev.timeoutAt : req.timeoutAt,
      type: req.type,
      unblockOnNoKey: req.unblockOnNoKey === true,
      spec: cmd.spec,
      fullName: cmd.fullName,
      argv: req.argv ?? cmd.argv,
      usec: prev !== null ? prev.usec : 0,
    };
    c.blocked = state;
    this.blockedClients++;
    let byKey = this.waiting.get(state.db.id);
    if (!byKey) this.waiting.set(state.db.id, (byKey = new Map()));
    for (const k of state.keys) {
      let list = byKey.get(k);
      if (!list) byKey.set(k, (list = []));
      list.push(c);
    }
    if (state.timeoutAt > 0) this.armTimer(c, state);
  }

  /** Node fires timers longer than 2^31-1 ms at once, so long blocks wait in steps. */
  private armTimer(c: Session, state: BlockState): void {
    const delay = Math.max(0, state.timeoutAt - Date.now());
    const step = Math.min(delay, 0x7fffffff);
    state.timer = setTimeout(() => (step < delay ? this.armTimer(c, state) : this.timeout(c)), step);
  }

  /** Removes the client from every wait list (served, timed out, disconnected, unblocked). */
  unblock(c: Session): void {
    const state = c.blocked;
    if (!state) return;
    c.blocked = null;
    this.blockedClients--;
    if (state.timer) clearTimeout(state.timer);
    const byKey = this.waiting.get(state.db.id);
    if (!byKey) return;
    for (const k of state.keys) {
      const list = byKey.get(k);
      if (!list) continue;
      const i = list.indexOf(c);
      if (i !== -1) list.splice(i, 1);
      if (list.length === 0) byKey.delete(k);
    }
  }

  /** Ends a block with its timeout reply (the null array, RESP3 `_`). */
  timeout(c: Session): void {
    const state = c.blocked;
    if (!state) return;
    this.unblock(c);
    c.reply.nullArray();
    this.host?.blockEnded(state, null);
    c.flush();
    c.scheduleResume();
  }

  /** Ends a block with an error reply (CLIENT UNBLOCK ... ERROR). */
  fail(c: Session, message: string): void {
    const state = c.blocked;
    if (!state) return;
    this.unblock(c);
    c.reply.error(message);
    this.host?.blockEnded(state, message.slice(0, message.indexOf(' ')));
    c.flush();
    c.scheduleResume();
  }

  hasWaiters(db: Database, key: string): boolean {
    return this.waiting.get(db.id)?.has(key) ?? false;
  }

  /** Marks a key ready (a push, a new stream entry, a deleted key...). Cheap when nobody waits. */
  signal(db: Database, key: string): void {
    if (!this.hasWaiters(db, key)) return;
    const tag = db.id + '\0' + key;
    if (this.readySet.has(tag)) return;
    this.readySet.add(tag);
    this.ready.push({ db, key });
  }

  /** Marks every key that clients of `db` wait on as ready (the database was flushed or swapped). */
  signalAll(db: Database): void {
    const byKey = this.waiting.get(db.id);
    if (byKey) for (const key of byKey.keys()) this.signal(db, key);
  }

  /**
   * Offers every ready key to its waiters, FIFO, re-running their commands.
   * A re-run may signal more keys (BLMOVE's target list): loop until quiet.
   */
  serveReadyKeys(): void {
    const host = this.host;
    if (host === null) return;
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      this.readySet.clear();
      for (const { db, key } of batch) {
        const list = this.waiting.get(db.id)?.get(key);
        if (!list) continue;
        for (const c of list.slice()) {
          const state = c.blocked;
          if (!state || c.closing) continue;
          // Only a value of the awaited type can serve the client; XREADGROUP also wakes when its key went away.
          if (!state.unblockOnNoKey && host.typeAt(db, key) !== state.type) continue;
          this.unblock(c);
          this.rerun = state;
          try {
            host.reexecute(c, state);
          } finally {
            this.rerun = null;
          }
          if (c.blocked === null) {
            c.flush();
            c.scheduleResume();
          }
        }
      }
    }
  }

  /** total_blocking_keys and total_blocking_keys_on_nokey for INFO. */
  counts(): { keys: number; noKey: number } {
    let keys = 0;
    let noKey = 0;
    for (const byKey of this.waiting.values()) {
      for (const list of byKey.values()) {
        keys++;
        if (list.some((c) => c.blocked?.unblockOnNoKey)) noKey++;
      }
    }
    return { keys, noKey };
  }
}
