/**
 * Clients blocked on keys (XREAD/XREADGROUP BLOCK): who waits on which key,
 * FIFO wake-ups when a key is signalled ready, timeouts, CLIENT UNBLOCK.
 *
 * A command that finds nothing to serve calls `block()` with a BlockState
 * whose `tryServe` re-runs the read. Whenever a write signals a key ready,
 * the server (after the current command finishes, as Redis does) calls
 * `serveReadyKeys()`, which offers the key to its waiters in the order they
 * blocked.
 */
import type { Session } from './session.js';
import type { Database } from './keyspace.js';

export interface BlockState {
  db: Database;
  keys: string[];
  /** Unix ms when the block times out, 0 = never. */
  timeoutAt: number;
  /**
   * Try to serve the client now (a key it waits on was signalled). Writes the
   * reply and returns true when served (or failed with an error reply); false
   * to keep waiting.
   */
  tryServe(key: string): boolean;
  /** Writes the timeout reply (null array / RESP3 null). */
  onTimeout(): void;
  /** Optional: the block counts in total_blocking_keys_on_nokey (XREADGROUP waiting for a key to exist). */
  onNoKey?: boolean;
  timer?: NodeJS.Timeout;
}

export class BlockingRegistry {
  /** db id → key → clients in blocking order. */
  private readonly waiting = new Map<number, Map<string, Session[]>>();
  /** Keys signalled since the last serve, as `db\0key`, in signal order. */
  private ready: { db: Database; key: string }[] = [];
  private readySet = new Set<string>();
  blockedClients = 0;

  block(client: Session, state: BlockState): void {
    client.blocked = state;
    this.blockedClients++;
    let byKey = this.waiting.get(state.db.id);
    if (!byKey) this.waiting.set(state.db.id, (byKey = new Map()));
    for (const k of state.keys) {
      let list = byKey.get(k);
      if (!list) byKey.set(k, (list = []));
      list.push(client);
    }
    if (state.timeoutAt > 0) this.armTimer(client, state);
  }

  /** Node fires timers longer than 2^31-1 ms at once, so long blocks wait in steps. */
  private armTimer(client: Session, state: BlockState): void {
    const delay = Math.max(0, state.timeoutAt - Date.now());
    const step = Math.min(delay, 0x7fffffff);
    state.timer = setTimeout(() => (step < delay ? this.armTimer(client, state) : this.timeout(client)), step);
  }

  /** Removes the client from every wait list (served, timed out, disconnected, unblocked). */
  unblock(client: Session): void {
    const state = client.blocked;
    if (!state) return;
    client.blocked = null;
    this.blockedClients--;
    if (state.timer) clearTimeout(state.timer);
    const byKey = this.waiting.get(state.db.id);
    if (!byKey) return;
    for (const k of state.keys) {
      const list = byKey.get(k);
      if (!list) continue;
      const i = list.indexOf(client);
      if (i !== -1) list.splice(i, 1);
      if (list.length === 0) byKey.delete(k);
    }
  }

  /** Ends a block with its timeout reply. */
  timeout(client: Session): void {
    const state = client.blocked;
    if (!state) return;
    this.unblock(client);
    state.onTimeout();
    client.flush();
    client.scheduleResume();
  }

  /** Ends a block with an error reply (CLIENT UNBLOCK ... ERROR). */
  fail(client: Session, message: string): void {
    if (!client.blocked) return;
    this.unblock(client);
    client.reply.error(message);
    client.flush();
    client.scheduleResume();
  }

  hasWaiters(db: Database, key: string): boolean {
    return this.waiting.get(db.id)?.has(key) ?? false;
  }

  /** Marks a key ready (an XADD, a new stream, a deleted key, a destroyed group). Cheap when nobody waits. */
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

  /** Offers every ready key to its waiters, FIFO. Serving may signal more keys; loop until quiet. */
  serveReadyKeys(): void {
    while (this.ready.length > 0) {
      const batch = this.ready;
      this.ready = [];
      this.readySet.clear();
      for (const { db, key } of batch) {
        const list = this.waiting.get(db.id)?.get(key);
        if (!list) continue;
        for (const client of list.slice()) {
          const state = client.blocked;
          if (!state || client.closing) continue;
          if (state.tryServe(key)) {
            this.unblock(client);
            client.flush();
            client.scheduleResume();
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
        if (list.some((c) => c.blocked?.onNoKey)) noKey++;
      }
    }
    return { keys, noKey };
  }
}
