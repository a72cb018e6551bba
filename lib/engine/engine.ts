/**
 * The engine: databases, the command table, dirty counter, blocking
 * registry, statistics, configuration (read live), keyspace notifications,
 * propagation to the AOF, and the cron (active expiry, timeouts). It knows
 * sessions, never sockets: the network layer (lib/network) owns connections
 * and reaches the engine through execute(); the engine reaches the network
 * only through the NetworkControl interface.
 *
 * One event loop, like Redis: a command runs to completion before the next
 * starts, so nothing here needs locks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from './session.js';
import { Config, type DirectiveName } from '../config.js';
import type { CommandSpec } from '../command.js';
import { Database, typeName, type KeyspaceHooks } from './keyspace.js';
import { BlockingRegistry, type BlockState } from './blocking.js';
import { processCommand, call } from './dispatch.js';
import { HashFieldExpiry } from '../types/hash-expiry.js';
import * as E from '../errors.js';
import { ReplyError } from '../errors.js';
import { Stats } from './stats.js';
import { VERSION, REDIS_VERSION } from '../version.js';
import { strerror } from '../persistence/writer.js';
import { MemoryTracker, STARTUP_BYTES, CLIENT_BYTES } from '../memory.js';
import { Operations } from './ops.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
const LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What persistence plugs in (see lib/persistence). */
export interface AofSink {
  /** Appends the effect of one command (or a MULTI/EXEC unit) executed against database `dbId`. */
  feed(dbId: number, argvs: Buffer[][]): void;
  /** MISCONF-style refusal of writes when the last write/fsync failed. */
  writeError(): ReplyError | null;
  /** Flushes and fsyncs everything (shutdown). */
  close(): Promise<void>;
}

/**
 * Where the log stands, for the network layer's reply gate: persistence
 * exposes offsets and a signal, and never writes to sockets.
 */
export interface DurabilityLog {
  /**
   * Called when replies are about to be written: the log offset they must
   * wait for (appendfsync always: this batch wrote or unsynced data is
   * visible; everysec/no: this batch wrote, and the end-of-turn write has not
   * put it in the kernel yet), or null when they may go now.
   */
  replyMark(): number | null;
  /**
   * Replies waiting for offsets up to this one may go: fsynced under always,
   * in the kernel under everysec/no. Grows, except that switching appendfsync
   * to always brings it back to what is fsynced.
   */
  readonly durableOffset: number;
  /** Registers a listener called whenever durableOffset advances. */
  onDurable(listener: () => void): void;
}

/** What the engine may ask of the network layer (implemented by lib/network/listener.ts). */
export interface NetworkControl {
  /** Binds the configured addresses; resolves to the port. */
  listen(): Promise<number>;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** Periodic per-connection checks (output-buffer limits). */
  cron(): void;
  /** Closes the TCP listeners and listens again on `port` with the current bind addresses (0: TCP stays closed). */
  relisten(port: number): Promise<boolean>;
  /** The TCP port listened on (0 when none). */
  readonly port: number;
}

/** Keyspace notification hook (see lib/pubsub). */
export type Notifier = (classFlag: string, event: string, key: string, dbId: number) => void;

/** A module that wants a say in the server's life cycle (persistence, pub/sub, ...). */
export interface Plugin {
  /** Before listening: load data, open files. */
  start?(server: Engine): Promise<void> | void;
  /**
   * Once the Redis port is bound: services beside it (the metrics endpoint).
   * A rejection closes the server and fails start().
   */
  listening?(server: Engine): Promise<void> | void;
  /** During shutdown, before sockets close. */
  stop?(server: Engine): Promise<void> | void;
}

/**
 * Options of createServer(): any config directive by its redis.conf name
 * (`{ port: 0, 'appendfsync': 'always', appendonly: true }`), so editors
 * complete the names and a misspelt one fails to compile. Booleans become
 * yes/no, numbers their decimal text.
 */
export type ServerOptions = { [K in DirectiveName]?: string | number | boolean } & {
  /** Extra config text (redis.conf syntax), applied before the other options. */
  configText?: string;
};

/** One command's effect on the AOF: run against `dbId`. */
interface PropagatedOp {
  dbId: number;
  argv: Buffer[];
}

/** client-output-buffer-limit for one class. */
export interface OutputLimit {
  hard: number;
  soft: number;
  seconds: number;
}

const MULTI = Buffer.from('MULTI');
const EXEC = Buffer.from('EXEC');
const SELECT = Buffer.from('SELECT');
const DEL = Buffer.from('DEL');

export class Engine implements KeyspaceHooks {
  readonly config = new Config();
  dbs: Database[] = [];
  /** Sessions of connected clients, by id. */
  readonly clients = new Map<number, Session>();
  readonly blocking = new BlockingRegistry();
  /** Keys of hashes with field TTLs, for active field expiry (Redis 7.4 HEXPIRE). */
  readonly hashFieldExpiry = new HashFieldExpiry();
  readonly stats = new Stats();
  readonly startTime = Date.now();
  readonly runId = Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  commands = new Map<string, CommandSpec>();
  /** Bumped by every change to the data (like Redis's server.dirty): drives propagation and INFO. */
  dirty = 0;
  aof: AofSink | null = null;
  notifier: Notifier | null = null;
  readonly plugins: Plugin[] = [];
  /**
   * Extra INFO fields contributed by subsystems: section name (lower case) →
   * a function returning name/value pairs appended to that section.
   */
  readonly infoExtras = new Map<string, (() => [string, string | number][])[]>();
  /** Path of the config file, for CONFIG REWRITE. */
  configFile: string | undefined;
  /** Called after SHUTDOWN has closed the server (the CLI exits the process; embedded servers just stop). */
  onShutdown: (() => void) | null = null;
  /**
   * The client whose command is running (Redis's executing_client), whether
   * that command's reply is itself made of pushes (the SUBSCRIBE family), and
   * how deeply calls nest (EXEC runs its commands at depth 2). Pub/Sub pushes
   * to the running client wait in its deferredPushes until the outermost
   * command's reply is written (Redis 7.2+).
   */
  executingClient: Session | null = null;
  executingPushReply = false;
  callDepth = 0;
  /**
   * The client whose top-level command runs (Redis's current_client): the
   * caller of a script, the woken client during a re-execution. Tracking
   * counts reads for it and holds its own invalidations until its reply.
   */
  currentClient: Session | null = null;
  /** True while a blocked command is re-executed (MONITOR showed it when it first ran). */
  reprocessing = false;
  /** MONITOR, SLOWLOG, LATENCY, CLIENT PAUSE/REPLY/TRACKING (lib/engine/ops.ts). */
  readonly ops: Operations = new Operations(this);
  /** DEBUG SET-ACTIVE-EXPIRE: when false, keys expire only when accessed. */
  activeExpireEnabled = true;
  /** Set while loading data at start-up: INFO reports loading:1. */
  loading = false;
  /** Directives the config set that rivulet accepts but does not act on; logged once by start(). */
  ignoredDirectives: string[] = [];
  /** What the data costs (used_memory; see lib/memory.ts). */
  readonly memory = new MemoryTracker();
  /** The pidfile this server wrote (removed on close), or null. */
  private pidfileWritten: string | null = null;
  /** The logfile, opened for appending; every line is written synchronously, so fatal paths lose nothing. */
  private logFd: number | null = null;
  /** The network layer, when there is one (none for a bare engine in tests or tools). */
  network: NetworkControl | null = null;
  /** Where the AOF stands, set by persistence for the server's lifetime (the network holds replies on it). */
  durability: DurabilityLog | null = null;
  /**
   * Non-null while a script that outlived busy-reply-threshold is being
   * resumed slice by slice: commands without allow_busy get BUSY (which of
   * the two texts depends on EVAL vs FCALL). See lib/scripting.
   */
  busyScript: { isEval: boolean } | null = null;
  private nextClientId = 1;
  private cron: NodeJS.Timeout | null = null;
  private closed: Promise<void> | null = null;
  /** The port listened on (set once the network is up). */
  port = 0;

  // ---- the propagation unit (Redis's also_propagate / execution_nesting) ----
  /** Depth of call() nesting: EXEC and scripts run commands inside a command. */
  private nesting = 0;
  /** Effects collected during the current top-level execution, fed to the AOF once when it ends. */
  private unit: PropagatedOp[] = [];
  /** The innermost running command's replacement effects (propagateAs), or null to log its argv when it changed data. */
  private override: Buffer[][] | null = null;

  constructor() {
    this.blocking.host = this;
  }

  // ---- KeyspaceHooks ----
  now(): number {
    return Date.now();
  }

  /**
   * The clock keys' access times are stamped with (OBJECT IDLETIME): Date.now()
   * as of the last cron run (every 1000/hz ms), like Redis's LRU clock, so a
   * lookup costs no clock read. Idle times read with now() are at most one
   * cron period longer than exact (Redis's resolution is a second).
   */
  lruNow(): number {
    return this.lruClock;
  }

  private lruClock = Date.now();

  keyModified(db: Database, key: string): void {
    this.memory.touched(db, key);
    if (this.ops.watching && this.ops.tracking.clientCount > 0) this.ops.tracking.keyChanged(key, this.currentClient);
    this.hashFieldExpiry.noteKey(db, key);
    const watchers = db.watchers.get(key);
    if (watchers) for (const w of watchers) w.markDirty(db, key);
    this.blocking.signal(db, key);
  }

  keyReplacing(db: Database, key: string): void {
    this.memory.replacing(db, key);
  }

  keyCreated(db: Database, key: string): void {
    this.notify('n', 'new', key, db.id);
  }

  flushed(db: Database): void {
    this.memory.flushed(db);
    if (this.ops.watching && this.ops.tracking.clientCount > 0) this.ops.tracking.flushed(this.stats.commandsProcessed);
    // Blocked clients of this db look again (re-executed): XREADGROUP gets its own error, XREAD keeps waiting.
    this.blocking.signalAll(db);
  }

  keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    this.dirty++;
    // An expiry is propagated as a DEL, so the AOF never depends on the clock at load time.
    this.alsoPropagate(db.id, [DEL, Buffer.from(key, 'latin1')]);
    this.notify('x', 'expired', key, db.id);
  }

  /**
   * Active field expiry for one database (Redis's hashTypeDbActiveExpire):
   * each due field is deleted and propagated as HDEL, one `hexpired` event per
   * hash, and a hash left empty is deleted (`del`).
   */
  private expireHashFields(db: Database, budgetMs: number): void {
    this.hashFieldExpiry.cycle(db, this.now(), budgetMs, 1000, (key, h, fields) => {
      const k = Buffer.from(key, 'latin1');
      for (const f of fields) {
        h.delete(f);
        this.stats.expiredSubkeys++;
        this.dirty++;
        this.alsoPropagate(db.id, [HDEL, k, Buffer.from(f, 'latin1')]);
      }
      this.notify('h', 'hexpired', key, db.id);
      if (h.size === 0) {
        db.delete(key);
        this.notify('g', 'del', key, db.id);
      } else {
        db.touch(key);
      }
    });
  }

  notify(classFlag: string, event: string, key: string, dbId: number): void {
    this.notifier?.(classFlag, event, key, dbId);
  }

  // ---- blocking (BlockingHost) ----
  /** Re-runs a woken client's command as Redis 7.2+ does: through call(), so replies, errors, stats and propagation are a first run's. */
  reexecute(c: Session, state: BlockState): void {
    const db = c.db;
    c.db = state.db;
    const current = this.currentClient;
    this.currentClient = c;
    this.reprocessing = true;
    try {
      call(c, state.spec, state.fullName, state.argv, state.usec);
    } finally {
      this.reprocessing = false;
      this.currentClient = current;
      if (c.db === state.db) c.db = db;
    }
  }

  blockEnded(state: BlockState, errorCode: string | null): void {
    this.stats.recordCall(state.fullName, state.usec);
    if (errorCode !== null) this.stats.recordError(errorCode, state.fullName, false);
  }

  typeAt(db: Database, key: string): string | null {
    const v = db.lookup(key, false);
    return v === undefined ? null : typeName(v);
  }

  // ---- replies of sessions without a connection ----
  private durableWaiters: { mark: number; cb: () => void }[] = [];
  private listeningForDurable = false;

  /**
   * Calls `cb` once everything the AOF was fed so far is durable (at once
   * unless `appendfsync always` holds replies): the reply of a session with
   * no connection (the dashboard's actions) waits as a connection's would.
   */
  whenDurable(cb: () => void): void {
    const log = this.durability;
    const mark = log?.replyMark() ?? null;
    if (log === null || mark === null || log.durableOffset >= mark) {
      cb();
      return;
    }
    this.durableWaiters.push({ mark, cb });
    if (!this.listeningForDurable) {
      this.listeningForDurable = true;
      log.onDurable(() => {
        const at = log.durableOffset;
        const ready = this.durableWaiters.filter((w) => w.mark <= at);
        if (ready.length === 0) return;
        this.durableWaiters = this.durableWaiters.filter((w) => w.mark > at);
        for (const w of ready) w.cb();
      });
    }
  }

  // ---- sessions ----
  nextSessionId(): number {
    return this.nextClientId++;
  }

  /** A session that belongs to no connection (AOF loading, scripts, tools): never registered in `clients`. */
  createSession(name = ''): Session {
    const s = new Session(this, 0);
    s.authenticated = true;
    s.name = name;
    return s;
  }

  /** Everything a client leaves behind goes away with it (called by the network when its socket closes). */
  disconnect(c: Session): void {
    if (!this.clients.delete(c.id)) return;
    c.closing = true;
    this.blocking.unblock(c);
    c.unwatchAll();
    this.ops.forget(c, true);
    for (const h of disconnectHooks) h(c);
  }

  // ---- propagation (AOF) ----
  /** Whether effects are logged anywhere: commands skip building propagation records when not. */
  get propagating(): boolean {
    return this.aof !== null;
  }

  /**
   * Replaces what the running command propagates: handlers whose effect
   * differs from their argv (XADD with `*`, `~` trimming, XREADGROUP →
   * XCLAIM, relative expiries) call this with the deterministic commands to
   * log instead.
   */
  propagateAs(...argvs: Buffer[][]): void {
    if (this.aof === null) return;
    (this.override ??= []).push(...argvs);
  }

  /** Propagates nothing for the running command even though it changed data (e.g. EXEC: its commands propagate themselves). */
  suppressPropagation(): void {
    if (this.aof === null) return;
    this.override = [];
  }

  /** Several effects of the running command, added to its unit (lazy field expiry's HDELs). */
  propagate(dbId: number, argvs: Buffer[][]): void {
    for (const argv of argvs) this.alsoPropagate(dbId, argv);
  }

  /**
   * Keeps the propagation unit open across event-loop turns (a script that
   * runs in slices past busy-reply-threshold): everything until endUnit() is
   * fed as one MULTI/EXEC.
   */
  beginUnit(): void {
    this.nesting++;
  }

  endUnit(): void {
    if (--this.nesting === 0) this.propagatePending();
  }

  /** Adds an effect to the current unit; at top level (no command running) it is fed at once. */
  alsoPropagate(dbId: number, argv: Buffer[]): void {
    if (this.aof === null) return;
    this.unit.push({ dbId, argv });
    if (this.nesting === 0) this.propagatePending();
  }

  /**
   * call() brackets every command with these. The state of an outer command
   * (EXEC, a script) is kept by the caller while inner ones run.
   */
  enterCall(): Buffer[][] | null {
    this.nesting++;
    const outer = this.override;
    this.override = null;
    return outer;
  }

  exitCall(session: Session, argv: Buffer[], changed: boolean, outer: Buffer[][] | null): void {
    const own = this.override;
    this.override = outer;
    const argvs = own ?? (changed ? [argv] : null);
    if (argvs !== null && this.aof !== null) for (const a of argvs) this.unit.push({ dbId: session.db.id, argv: a });
    if (--this.nesting === 0) this.propagatePending();
  }

  /**
   * Feeds the unit to the AOF: one command as it is, several wrapped in
   * MULTI/EXEC so that a torn tail never loads half of them (the loader
   * drops an unfinished MULTI), with a SELECT wherever the database changes.
   */
  private propagatePending(): void {
    const unit = this.unit;
    if (unit.length === 0) return;
    this.unit = [];
    const aof = this.aof;
    if (aof === null) return;
    if (unit.length === 1) {
      aof.feed(unit[0].dbId, [unit[0].argv]);
      return;
    }
    const first = unit[0].dbId;
    const argvs: Buffer[][] = [[MULTI]];
    let db = first;
    for (const op of unit) {
      if (op.dbId !== db) {
        argvs.push([SELECT, Buffer.from(String(op.dbId))]);
        db = op.dbId;
      }
      argvs.push(op.argv);
    }
    argvs.push([EXEC]);
    aof.feed(first, argvs);
  }

  // ---- commands ----
  /** Runs one command from a session (the network layer calls this for each parsed request). */
  execute(c: Session, argv: Buffer[]): void {
    this.stats.commandsProcessed++;
    const current = this.currentClient;
    this.currentClient = c;
    if (c.replyControl === 0) processCommand(c, argv);
    else this.ops.executeSilenced(c, argv, processCommand);
    if (c.tracking !== null) this.ops.tracking.topLevelDone(c, c.lastCommand);
    this.currentClient = current;
  }

  /** Runs after every top-level command: wake clients blocked on keys that became ready. */
  afterCommand(): void {
    this.blocking.serveReadyKeys();
  }

  /**
   * Why a command may not run now, or null (Redis's processCommand order):
   * OOM for a command that may grow memory while used memory is over
   * maxmemory (noeviction: nothing is evicted); then MISCONF for writes — and
   * PING, so health checks notice — while the AOF cannot be written.
   */
  refuseWrite(denyoom: boolean, write: boolean, ping: boolean): ReplyError | null {
    if (denyoom) {
      const maxmemory = this.config.int('maxmemory');
      if (maxmemory > 0 && this.usedMemory() > maxmemory) return E.OOM;
    }
    if ((write || ping) && this.aof) return this.aof.writeError();
    return null;
  }

  /** used_memory: the data's cost plus Redis's figures for an empty server and each client (lib/memory.ts), not the V8 heap. */
  usedMemory(): number {
    return STARTUP_BYTES + this.memory.dataBytes() + this.clientsMemory();
  }

  /** What connections cost: a fixed amount each plus their unsent replies (INFO's mem_clients_normal). */
  clientsMemory(): number {
    let n = 0;
    for (const c of this.clients.values()) n += CLIENT_BYTES + (c.link?.outputBytes() ?? 0) + c.reply.size;
    return n;
  }

  /** client-output-buffer-limit for a class (`normal`, `pubsub`, `replica`), or null when none is set. */
  outputLimit(cls: string): OutputLimit | null {
    const text = this.config.get('client-output-buffer-limit');
    if (text !== this.limitsText) {
      this.limitsText = text;
      this.limits = new Map();
      const words = text.split(' ');
      for (let i = 0; i + 3 < words.length; i += 4) {
        this.limits.set(words[i], { hard: Number(words[i + 1]), soft: Number(words[i + 2]), seconds: Number(words[i + 3]) });
      }
    }
    return this.limits.get(cls) ?? null;
  }
  private limitsText = '';
  private limits = new Map<string, OutputLimit>();

  // ---- logging ----
  log(level: LogLevel, msg: string): void {
    if (LEVELS[level] < LEVELS[this.config.get('loglevel')]) return;
    const d = new Date();
    const p2 = (n: number): string => String(n).padStart(2, '0');
    const line = `${process.pid}:M ${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(
      d.getMinutes(),
    )}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')} ${LEVEL_CHAR[level]} ${msg}\n`;
    const file = this.config.get('logfile');
    if (file === '') {
      // Synchronous for files and pipes too (Node makes stdout async for pipes): a fatal exit must not lose the last lines.
      try {
        fs.writeSync(1, line);
      } catch {
        process.stdout.write(line);
      }
    } else {
      try {
        this.logFd ??= fs.openSync(file, 'a');
        fs.writeSync(this.logFd, line);
      } catch {
        /* as Redis: a log line that cannot be written is dropped */
      }
    }
  }

  // ---- life cycle ----
  /** Creates the databases, runs plugins' start hooks and listens. Rejects if a listen address cannot be bound. */
  /** CONFIG SET port / bind: the network listens again (see Network.relisten); false when that failed. */
  async relisten(port: number): Promise<boolean> {
    if (!this.network) return false;
    const ok = await this.network.relisten(port);
    if (ok) this.port = this.network.port;
    return ok;
  }

  async start(): Promise<void> {
    this.ops.install();
    const n = this.config.int('databases');
    this.dbs = Array.from({ length: n }, (_, i) => new Database(i, this));
    const dir = this.config.get('dir');
    if (dir !== '') {
      try {
        // No chdir, unlike redis-server: an embedded server must not move its host process.
        makeDirectory(dir);
        fs.accessSync(dir, fs.constants.X_OK);
      } catch (err) {
        throw new Error(`Can't chdir to '${dir}': ${strerror(err)}`);
      }
    }
    // Only the AOF writes to dir: without it a read-only dir is fine, as for redis-server.
    if (this.config.bool('appendonly')) probeWritable(dir === '' ? '.' : dir);
    this.log('notice', `rivulet ${VERSION} (Redis ${REDIS_VERSION} compatible) starting, pid=${process.pid}`);
    for (const name of this.ignoredDirectives) this.log('warning', `${name} is not supported by rivulet and is ignored`);
    this.writePidfile();
    for (const p of this.plugins) await p.start?.(this);
    if (this.network) {
      this.port = await this.network.listen();
      this.log('notice', `Server initialized, listening on port ${this.port}`);
    }
    try {
      for (const p of this.plugins) await p.listening?.(this);
    } catch (err) {
      await this.close();
      throw err;
    }
    this.armCron();
    // CONFIG SET hz takes effect at once, as in Redis.
    this.config.onChange((name) => {
      if (name === 'hz' && this.cron) this.armCron();
    });
    this.log('notice', 'Ready to accept connections tcp');
    if (this.config.get('unixsocket') !== '' && this.network) this.log('notice', 'Ready to accept connections unix');
  }

  /** pidfile (or daemonize yes, with Redis's default path): best effort, as Redis: a warning when it cannot be written. */
  private writePidfile(): void {
    const file = this.config.get('pidfile') || (this.config.bool('daemonize') ? DEFAULT_PIDFILE : '');
    if (file === '') return;
    try {
      fs.writeFileSync(file, `${process.pid}\n`);
      this.pidfileWritten = file;
    } catch (err) {
      this.log('warning', `Failed to write PID file: ${strerror(err)}`);
    }
  }

  /** (Re)starts the periodic tasks at `hz` runs per second. */
  private armCron(): void {
    this.lruClock = Date.now();
    if (this.cron) clearInterval(this.cron);
    this.cron = setInterval(() => this.serverCron(), Math.max(1, Math.floor(1000 / Math.max(1, this.config.int('hz')))));
    this.cron.unref();
  }

  private serverCron(): void {
    this.lruClock = Date.now();
    // A busy script is still one atomic unit: nothing expires or wakes until it ends.
    if (this.busyScript) return;
    const budget = 25 / Math.max(1, this.config.int('hz'));
    if (this.activeExpireEnabled) {
      for (const db of this.dbs) db.activeExpire(budget);
      for (const db of this.dbs) this.expireHashFields(db, budget);
    }
    // Keeps the set of keys to re-measure small (lib/memory.ts).
    this.memory.dataBytes();
    this.blocking.serveReadyKeys();
    const timeout = this.config.int('timeout');
    if (timeout > 0) {
      const now = Date.now();
      for (const c of this.clients.values()) {
        if (c.blocked || c.isSubscribed) continue;
        if (now - c.lastInteraction > timeout * 1000) {
          this.log('verbose', `Closing idle client id=${c.id}`);
          c.close();
        }
      }
    }
    this.network?.cron();
  }

  /** Stops listening, closes every client, lets plugins flush. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.cron) clearInterval(this.cron);
      this.cron = null;
      await this.network?.close();
      for (const p of [...this.plugins].reverse()) await p.stop?.(this);
      if (this.aof) await this.aof.close();
      if (this.pidfileWritten !== null) {
        this.log('notice', 'Removing the pid file.');
        fs.rmSync(this.pidfileWritten, { force: true });
      }
      this.log('notice', 'rivulet is now ready to exit, bye bye...');
      if (this.logFd !== null) fs.closeSync(this.logFd);
      this.logFd = null;
    })();
    return this.closed;
  }

  /** Total keys with and without expiry per db, for INFO keyspace. */
  keyspaceInfo(): { db: number; keys: number; expires: number }[] {
    return this.dbs.filter((d) => d.size > 0).map((d) => ({ db: d.id, keys: d.size, expires: d.expires.size }));
  }
}

const HDEL = Buffer.from('HDEL');
/** Where pidfile goes when `daemonize yes` names none (Redis's CONFIG_DEFAULT_PID_FILE is /var/run/redis.pid). */
const DEFAULT_PIDFILE = '/var/run/rivulet.pid';
/** The CLIENT LIST line of a client, for log lines; commands/server/client.ts installs the full one. */
let describeClient = (c: Session): string => `id=${c.id} addr=${c.addr}`;
export function setClientDescriber(f: (c: Session) => string): void {
  describeClient = f;
}
/** For the network layer's connection logs. */
export function describeSession(c: Session): string {
  return describeClient(c);
}

/**
 * mkdir -p, one component at a time: a component that cannot be created is an
 * error (fs.mkdirSync's recursive mode loops forever under /proc).
 */
function makeDirectory(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  for (let d = abs; !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) fs.mkdirSync(d);
}

/** Modules (pub/sub) register cleanup for disconnecting clients here. */
export const disconnectHooks: ((c: Session) => void)[] = [];
/** Modules register what RESET must undo for them here (e.g. unsubscribe everything). */
export const resetHooks: ((c: Session) => void)[] = [
  // RESET ends MONITOR and CLIENT TRACKING, and clears CLIENT REPLY/NO-TOUCH/NO-EVICT (Redis's clearClientConnectionState).
  (c) => c.server.ops.forget(c, false),
];

/**
 * Refuses to start when the data directory cannot take a write: a full disk
 * or a read-only mount found now is a clear start-up error, rather than a
 * server that comes up and answers every write with MISCONF. Writes, fsyncs
 * and removes a small probe file; throws an Error naming the directory and
 * the cause (strerror text).
 */
function probeWritable(dir: string): void {
  const probe = path.join(dir, `.rivulet-probe-${process.pid}`);
  let fd = -1;
  try {
    fd = fs.openSync(probe, 'w', 0o600);
    fs.writeSync(fd, Buffer.alloc(4096));
    fs.fsyncSync(fd);
  } catch (err) {
    throw new Error(`The data directory '${path.resolve(dir)}' is not writable: ${strerror(err)}`);
  } finally {
    if (fd !== -1) fs.closeSync(fd);
    fs.rmSync(probe, { force: true });
  }
}
