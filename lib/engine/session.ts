/**
 * One client connection: its parser, reply buffer, protocol version, selected
 * database, authentication, MULTI queue, WATCHed keys, blocked state and
 * subscriptions.
 */
import type { Socket } from 'node:net';
import { RequestParser } from './resp/parser.js';
import { ReplyWriter, Proto } from './resp/writer.js';
import type { Database } from './keyspace.js';
import type { CommandSpec } from './command.js';
import type { Server } from './server.js';
import type { BlockState } from './blocking.js';

export interface QueuedCommand {
  spec: CommandSpec;
  /** Full name for stats (`xgroup|create`). */
  fullName: string;
  argv: Buffer[];
}

/** Clients connected through the Unix socket: CLIENT LIST shows them as /unixsocket:0, as Redis does. */
export const unixClients = new WeakSet<Client>();

export class Client {
  readonly id: number;
  readonly reply = new ReplyWriter();
  readonly parser: RequestParser;
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  /** True once AUTH/HELLO AUTH succeeded, or when no password is required. */
  authenticated: boolean;
  /** Non-null between MULTI and EXEC/DISCARD. `error` marks a queue-time error (EXECABORT). */
  multi: { queue: QueuedCommand[]; error: boolean } | null = null;
  /** Keys this client WATCHes, per database, each with whether it was already expired at WATCH time. */
  readonly watched = new Map<Database, Map<string, boolean>>();
  /** Set when a watched key was touched: EXEC will abort. */
  dirtyCas = false;
  /** True while EXEC runs this client's queued commands: blocking commands must not block then (c.multi is already null). */
  inExec = false;
  /** Non-null while blocked in XREAD/XREADGROUP BLOCK. */
  blocked: BlockState | null = null;
  /** Pub/Sub subscriptions (channel / pattern / shard channel, as latin1 strings). */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';
  /** Set by CLIENT KILL / QUIT / protocol errors: no more commands are read. */
  closing = false;
  noEvict = false;
  noTouch = false;
  /** Pub/Sub pushes caused by this client's own running command, written after its reply (see Server.executingClient). */
  deferredPushes: Buffer[] | null = null;
  /** Bytes written to the socket and not yet drained (client-output-buffer-limit). */
  private processing = false;
  private resumeScheduled = false;

  constructor(
    readonly server: Server,
    readonly socket: Socket,
    id: number,
  ) {
    this.id = id;
    this.db = server.dbs[0];
    this.authenticated = server.config.get('requirepass') === '';
    this.parser = new RequestParser({
      maxBulkLen: server.config.int('proto-max-bulk-len'),
      maxQueryBuffer: server.config.int('client-query-buffer-limit'),
      authenticated: () => this.authenticated,
    });
  }

  get proto(): Proto {
    return this.reply.proto;
  }

  get isSubscribed(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  get addr(): string {
    if (unixClients.has(this)) return '/unixsocket:0';
    const a = this.socket.remoteAddress ?? '';
    return `${a.includes(':') ? `[${a}]` : a}:${this.socket.remotePort ?? 0}`.replace(/^\[::ffff:([\d.]+)\]/, '$1');
  }

  get laddr(): string {
    if (unixClients.has(this)) return '/unixsocket:0';
    const a = this.socket.localAddress ?? '';
    return `${a.includes(':') ? `[${a}]` : a}:${this.socket.localPort ?? 0}`.replace(/^\[::ffff:([\d.]+)\]/, '$1');
  }

  /** Called by the server for each chunk read from the socket. */
  onData(chunk: Buffer): void {
    this.lastInteraction = Date.now();
    try {
      this.parser.feed(chunk);
    } catch {
      this.server.log('warning', `Closing client that reached max query buffer length: id=${this.id} addr=${this.addr}`);
      this.close();
      return;
    }
    this.processInput();
  }

  /** Runs every complete command in the query buffer, unless blocked; then writes the replies in one batch. */
  processInput(): void {
    if (this.processing) return;
    this.processing = true;
    try {
      while (!this.closing && this.blocked === null) {
        let argv: Buffer[] | null;
        try {
          argv = this.parser.next();
        } catch (err) {
          // Protocol error: reply, then close once the reply is written.
          this.reply.error((err as { message: string }).message);
          this.server.stats.protocolErrors++;
          // Counted in total_error_replies and errorstats like any error reply, as Redis does.
          this.server.stats.recordError('ERR', null, false);
          this.closeAfterReply();
          break;
        }
        if (argv === null) break;
        this.server.execute(this, argv);
      }
    } finally {
      this.processing = false;
    }
    this.flush();
  }

  /** After being unblocked by another client's command, continue with pipelined input on a later tick. */
  scheduleResume(): void {
    if (this.resumeScheduled) return;
    this.resumeScheduled = true;
    setImmediate(() => {
      this.resumeScheduled = false;
      if (!this.closing || this.reply.size > 0) this.processInput();
    });
  }

  /** Writes pending replies to the socket. */
  flush(): void {
    if (this.reply.size === 0) {
      if (this.closing) this.endSocket();
      return;
    }
    const data = this.reply.take();
    this.server.writeToClient(this, data);
    if (this.closing) this.endSocket();
  }

  /** Ends the connection after what was written; replies held for an fsync end it when they are released. */
  private endSocket(): void {
    if (this.socket.destroyed || this.server.aof?.holds?.(this)) return;
    this.socket.end();
  }

  closeAfterReply(): void {
    this.closing = true;
  }

  /** Closes the connection now, dropping unsent replies. */
  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  /**
   * A watched key changed. A key that was already expired when WATCHed and is
   * now simply gone is no logical change (Redis's touchWatchedKey): forget
   * its stale mark instead of aborting EXEC.
   */
  markDirty(db?: Database, key?: string): void {
    if (db !== undefined && key !== undefined) {
      const keys = this.watched.get(db);
      if (keys?.get(key) === true && !db.data.has(key)) {
        keys.set(key, false);
        return;
      }
    }
    this.dirtyCas = true;
  }

  /**
   * SWAPDB replaces a watched key's database contents (Redis 7.2+'s
   * touchAllWatchedKeysInDb): only a logical change dirties the transaction.
   * A key watched while already expired that stays gone or expired is no
   * change; a missing key replaced by an expired one is none either (it is
   * then remembered as watched-while-expired).
   */
  swapTouched(db: Database, key: string, existed: boolean, replacement: 'none' | 'expired' | 'live'): void {
    const keys = this.watched.get(db);
    if (keys?.get(key) === true) {
      if (replacement === 'none') {
        keys.set(key, false);
        return;
      }
      if (replacement === 'expired') return;
    } else if (!existed && replacement === 'expired') {
      keys?.set(key, true);
      return;
    }
    this.dirtyCas = true;
  }

  /** Forgets every WATCHed key. */
  unwatchAll(): void {
    for (const [db, keys] of this.watched) {
      for (const k of keys.keys()) {
        const set = db.watchers.get(k);
        if (set) {
          set.delete(this);
          if (set.size === 0) db.watchers.delete(k);
        }
      }
    }
    this.watched.clear();
    this.dirtyCas = false;
  }
}
