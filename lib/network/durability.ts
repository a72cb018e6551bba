/**
 * Holding replies until what they acknowledge is durable.
 *
 * Under `appendfsync always` a reply to a write may only leave once the AOF
 * bytes it depends on are fsynced (Redis's order: flush and fsync the AOF in
 * beforeSleep, then write the replies). Persistence says where the log is
 * (DurabilityLog: a mark per batch of replies, the durable offset, a signal
 * when it advances) and never touches sockets; this gate, in the network
 * layer, keeps the held replies in one FIFO and writes them through each
 * connection's normal write path — so backpressure and output-buffer limits
 * count held bytes too.
 */
import type { Engine } from '../engine/engine.js';
import type { Connection } from './connection.js';

interface Held {
  conn: Connection;
  data: Buffer;
  /** The reply may go once the durable offset reaches this. */
  need: number;
}

export class DurabilityGate {
  /** Held replies in the order they were produced; `need` never decreases except for 0 (ordering-only holds). */
  private held: Held[] = [];
  private head = 0;

  constructor(private readonly engine: Engine) {
    engine.durability?.onDurable(() => this.release());
  }

  /**
   * Takes `data` (replies for `conn`) when they must wait for the AOF; returns
   * false when they may be written now.
   */
  hold(conn: Connection, data: Buffer): boolean {
    const log = this.engine.durability;
    if (!log) return false;
    let need = log.replyMark();
    // Replies to one client leave in order: behind a held reply, everything waits.
    if (need === null && conn.heldBytes > 0) need = 0;
    if (need === null) return false;
    this.held.push({ conn, data, need });
    conn.heldBytes += data.length;
    conn.applyBackpressure();
    conn.checkOutputLimit();
    return true;
  }

  /** Writes every held reply whose data is durable, in order. */
  release(): void {
    const log = this.engine.durability;
    if (!log) return;
    const durable = log.durableOffset;
    const held = this.held;
    let i = this.head;
    while (i < held.length && held[i].need <= durable) {
      const h = held[i++];
      const conn = h.conn;
      conn.heldBytes -= h.data.length;
      conn.write(h.data);
      if (conn.heldBytes === 0) conn.heldReleased();
    }
    if (i === held.length) {
      this.held = [];
      this.head = 0;
    } else if (i > 1024 && i * 2 > held.length) {
      this.held = held.slice(i);
      this.head = 0;
    } else {
      this.head = i;
    }
  }
}
