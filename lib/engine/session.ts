/**
 * A session: everything the engine knows about one client, without its
 * socket — selected database, reply writer, protocol, authentication, MULTI
 * queue, WATCHed keys, blocked state, subscriptions, names.
 *
 * A session is connected to the network through a Link (lib/network's
 * Connection implements it) or to nothing at all: the AOF loader and Lua's
 * redis.call run commands through sessions that have no link, and their
 * replies stay in the reply writer for the caller to read.
 *
 * Command handlers receive the session as `c` and reach the engine as
 * `c.server` (the socket-less Engine).
 */
import { ReplyWriter, Proto } from '../resp/writer.js';
import type { Database } from './keyspace.js';
import type { Value, ValueClass } from '../types/value.js';
import * as E from '../errors.js';
import type { Engine } from './engine.js';
import type { CommandQueue } from './queue.js';
import type { BlockState, BlockRequest, RunningCommand } from './blocking.js';
import type { TrackingState } from './tracking.js';
import type { CommandSpec } from '../command.js';

export type { QueuedCommand } from './queue.js';

/** What the network layer offers a session that has a connection. */
export interface Link {
  /** `ip:port` of the peer, as CLIENT LIST shows it. */
  readonly addr: string;
  /** `ip:port` of the local end. */
  readonly laddr: string;
  /** The peer's IP address (undefined for a Unix socket). */
  readonly remoteAddress: string | undefined;
  /** Whether the peer is on the loopback interface (or a Unix socket). */
  readonly loopback: boolean;
  /** The file descriptor number (CLIENT LIST fd=), -1 when unknown. */
  readonly fd: number;
  /** Bytes of the query buffer: the command being executed and what follows it (CLIENT LIST qbuf=). */
  queryBufferBytes(): number;
  /** Reply bytes written to the socket (or held for the AOF) and not yet sent (CLIENT LIST omem=). */
  outputBytes(): number;
  /** Sends the session's pending replies now. */
  flush(): void;
  /** Drops the connection now; unsent replies are lost. */
  destroy(): void;
  /** True once the socket is gone. */
  readonly gone: boolean;
  /** After being unblocked by another client's command: continue with pipelined input on a later tick. */
  scheduleResume(): void;
}

export class Session {
  readonly reply = new ReplyWriter();
  db: Database;
  name = '';
  libName = '';
  libVer = '';
  /** True once AUTH/HELLO AUTH succeeded, or when no password is required. */
  authenticated: boolean;
  /** Non-null between MULTI and EXEC/DISCARD. `error` marks a queue-time error (EXECABORT). */
  multi: { queue: CommandQueue; error: boolean } | null = null;
  /** Keys this client WATCHes, per database, each with whether it was already expired at WATCH time. */
  readonly watched = new Map<Database, Map<string, boolean>>();
  /** Set when a watched key was touched: EXEC will abort. */
  dirtyCas = false;
  /** True while EXEC runs this client's queued commands: blocking commands must not block then (c.multi is already null). */
  inExec = false;
  /** Non-null while blocked in a blocking command. */
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
  /** Pub/Sub pushes caused by this client's own running command, written after its reply (see Engine.executingClient). */
  deferredPushes: Buffer[] | null = null;
  /** True while this client's script runs past busy-reply-threshold: its next commands wait for the reply. */
  scriptSuspended = false;
  /** Set for sessions that must never block (scripts): blocking commands answer as on timeout. */
  noBlock = false;
  /** The command being executed (set by call(); the outer one is restored after nested calls), as three fields: no object per command. */
  runningSpec: CommandSpec | null = null;
  runningName = '';
  runningArgv: Buffer[] | null = null;
  /** The session Lua's redis.call runs in (MONITOR shows it as `lua`). */
  isScript = false;
  /** Set by MONITOR: it receives every command; it may not touch the keyspace (lib/engine/ops.ts). */
  monitoring = false;
  /** CLIENT TRACKING state, null when off (lib/engine/tracking.ts). */
  tracking: TrackingState | null = null;
  /** CLIENT REPLY OFF/SKIP bits (REPLY_* in lib/engine/ops.ts); 0 = replies are sent. */
  replyControl = 0;
  /** A command CLIENT PAUSE postponed: the connection reads nothing more until the engine has run it. */
  postponed: Buffer[] | null = null;

  constructor(
    /** The engine (named `server` because that is what command handlers have always called it). */
    readonly server: Engine,
    readonly id: number,
    /** The connection, or null for the AOF loader and scripts. */
    public link: Link | null = null,
  ) {
    this.db = server.dbs[0];
    this.authenticated = server.config.get('requirepass') === '';
  }

  get proto(): Proto {
    return this.reply.proto;
  }

  get isSubscribed(): boolean {
    return this.channels.size + this.patterns.size + this.shardChannels.size > 0;
  }

  /** CLIENT LIST's addr (an empty string without a connection). */
  get addr(): string {
    return this.link?.addr ?? '';
  }

  get laddr(): string {
    return this.link?.laddr ?? '';
  }

  /** Whether replies can still reach anyone. */
  get gone(): boolean {
    return this.link === null || this.link.gone;
  }

  /**
   * A read lookup in the selected database (Redis's lookupKeyRead): deletes
   * the key first when it has expired, counts a keyspace hit or miss, records
   * the access (unless `touch` is false — introspection — or the client set
   * CLIENT NO-TOUCH), and throws WRONGTYPE when the value is not a `type`.
   */
  lookupRead<T extends Value>(key: string, type?: ValueClass<T>, touch = true): T | undefined {
    const v = this.db.lookup(key, touch && !this.noTouch);
    if (v === undefined) {
      this.server.stats.keyspaceMisses++;
      return undefined;
    }
    this.server.stats.keyspaceHits++;
    if (type !== undefined && !(v instanceof type)) throw E.WRONGTYPE;
    return v as T;
  }

  /** A lookup before modifying (lookupKeyWrite): expires first, no hit/miss counting, WRONGTYPE for another type. */
  lookupWrite<T extends Value>(key: string, type?: ValueClass<T>): T | undefined {
    const v = this.db.lookup(key);
    if (v === undefined) return undefined;
    if (type !== undefined && !(v instanceof type)) throw E.WRONGTYPE;
    return v as T;
  }

  /** Whether a blocking command may block now (not inside MULTI/EXEC or a script). */
  get mayBlock(): boolean {
    return this.multi === null && !this.inExec && !this.noBlock;
  }

  /**
   * Blocks the running command until one of its keys is signalled (then it
   * is re-run) or its deadline passes (then it answers a null array). The
   * handler returns right after calling this, having written nothing.
   */
  block(req: BlockRequest): void {
    const cmd: RunningCommand = { spec: this.runningSpec!, fullName: this.runningName, argv: this.runningArgv! };
    this.server.blocking.block(this, cmd, req);
  }

  /** Sends pending replies now (a session without a connection keeps them for its owner). */
  flush(): void {
    this.link?.flush();
  }

  /** After an unblock: go on with pipelined input later. */
  scheduleResume(): void {
    this.link?.scheduleResume();
  }

  /** Ends the connection once the pending replies are written (QUIT, CLIENT KILL of oneself). */
  closeAfterReply(): void {
    this.closing = true;
  }

  /** Closes the connection now, dropping unsent replies. */
  close(): void {
    this.closing = true;
    this.link?.destroy();
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
