/**
 * The server: listening sockets, the client registry, databases, statistics,
 * the cron (active expiry, idle timeouts), and the hooks through which writes
 * reach WATCH, blocked clients, the AOF and keyspace notifications.
 *
 * One event loop, like Redis: a command runs to completion before the next
 * starts, so nothing here needs locks.
 */
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { Client, unixClients } from './client.js';
import { Config, type DirectiveName } from './config.js';
import type { CommandSpec } from './command.js';
import { Database, type KeyspaceHooks } from './keyspace.js';
import { BlockingRegistry } from './blocking.js';
import { HashFieldExpiry } from './types/hash-expiry.js';
import { processCommand } from './dispatch.js';
import * as E from './errors.js';
import { ReplyError } from './errors.js';
import { Stats } from './stats.js';
import { VERSION, REDIS_VERSION } from './version.js';
import { strerror } from './persistence/writer.js';
import { MemoryTracker, STARTUP_BYTES, CLIENT_BYTES } from './memory.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
const LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What persistence plugs in (see lib/persistence). */
export interface AofSink {
  /** Appends the effect of one command (or a MULTI/EXEC unit) executed against database `dbId`. */
  feed(dbId: number, argvs: Buffer[][]): void;
  /** Called after each event-loop batch of commands; returns a promise when replies must wait for fsync. */
  writeGate?(client: Client, data: Buffer): boolean;
  /** Whether replies to this client are being held for an fsync (closing must wait for them). */
  holds?(client: Client): boolean;
  /** MISCONF-style refusal of writes when the last write/fsync failed. */
  writeError(): ReplyError | null;
  /** Flushes and fsyncs everything (shutdown). */
  close(): Promise<void>;
}

/** Keyspace notification hook (see lib/pubsub). */
export type Notifier = (classFlag: string, event: string, key: string, dbId: number) => void;

/** A module that wants a say in the server's life cycle (persistence, pub/sub, ...). */
export interface Plugin {
  /** Before listening: load data, open files. */
  start?(server: Server): Promise<void> | void;
  /**
   * Once the Redis port is bound: services beside it (the metrics endpoint).
   * A rejection closes the server and fails start().
   */
  listening?(server: Server): Promise<void> | void;
  /** During shutdown, before sockets close. */
  stop?(server: Server): Promise<void> | void;
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

export class Server implements KeyspaceHooks {
  readonly config = new Config();
  dbs: Database[] = [];
  readonly clients = new Map<number, Client>();
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
  executingClient: Client | null = null;
  executingPushReply = false;
  callDepth = 0;
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
  /** The Unix socket path listened on (removed on close), or null. */
  private unixPath: string | null = null;
  private listeners: net.Server[] = [];
  private nextClientId = 1;
  private cron: NodeJS.Timeout | null = null;
  private closed: Promise<void> | null = null;
  /** The logfile, opened for appending; every line is written synchronously, so fatal paths lose nothing. */
  private logFd: number | null = null;
  port = 0;

  // ---- propagation state for the command being executed ----
  private propClient: Client | null = null;
  private propArgv: Buffer[] | null = null;
  private propOverride: Buffer[][] | null = null;
  /** When EXEC runs, propagated effects are collected into one MULTI/EXEC unit. */
  private txBuffer: { dbId: number; argvs: Buffer[][] } | null = null;

  // ---- KeyspaceHooks ----
  now(): number {
    return Date.now();
  }

  keyModified(db: Database, key: string): void {
    this.memory.touched(db, key);
    this.hashFieldExpiry.noteKey(db, key);
    const watchers = db.watchers.get(key);
    if (watchers) for (const w of watchers) w.markDirty(db, key);
    this.blocking.signal(db, key);
  }

  keyCreated(db: Database, key: string): void {
    this.notify('n', 'new', key, db.id);
  }

  flushed(db: Database): void {
    this.memory.flushed(db);
    // Redis 7.2+: a flush releases blocked XREADGROUP readers (their stream is gone); XREAD readers keep waiting.
    this.blocking.signalAll(db);
  }

  keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    this.dirty++;
    // An expiry is propagated as a DEL, so the AOF never depends on the clock at load time.
    this.aof?.feed(db.id, [[Buffer.from('DEL'), Buffer.from(key, 'latin1')]]);
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
        this.aof?.feed(db.id, [[HDEL, k, Buffer.from(f, 'latin1')]]);
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

  // ---- propagation (AOF) ----
  /** Whether effects are logged anywhere: commands skip building propagation records when not. */
  get propagating(): boolean {
    return this.aof !== null;
  }

  beginPropagation(c: Client, argv: Buffer[]): void {
    this.propClient = c;
    this.propArgv = argv;
    this.propOverride = null;
  }

  /**
   * Replaces what this command propagates: handlers whose effect differs from
   * their argv (XADD with `*`, `~` trimming, XREADGROUP → XCLAIM, relative
   * expiries) call this with the deterministic commands to log instead.
   */
  propagateAs(...argvs: Buffer[][]): void {
    (this.propOverride ??= []).push(...argvs);
  }

  /** Propagates nothing for this command even though it changed data (e.g. a read-only path that only touched stats). */
  suppressPropagation(): void {
    this.propOverride = [];
  }

  endPropagation(changed: boolean): void {
    const c = this.propClient;
    const argv = this.propArgv;
    const override = this.propOverride;
    this.propClient = null;
    this.propArgv = null;
    this.propOverride = null;
    if (!c || !argv) return;
    const argvs = override ?? (changed ? [argv] : null);
    if (!argvs || argvs.length === 0) return;
    this.propagate(c.db.id, argvs);
  }

  /** Sends effects to the AOF (or into the open EXEC unit). */
  propagate(dbId: number, argvs: Buffer[][]): void {
    if (this.txBuffer) {
      // All commands of one EXEC run against one connection; SELECT inside is logged by the AOF per record.
      if (this.txBuffer.argvs.length === 0) this.txBuffer.dbId = dbId;
      if (dbId !== this.txBuffer.dbId) {
        this.txBuffer.argvs.push([Buffer.from('SELECT'), Buffer.from(String(dbId))]);
        this.txBuffer.dbId = dbId;
      }
      this.txBuffer.argvs.push(...argvs);
      return;
    }
    this.aof?.feed(dbId, argvs);
  }

  /** EXEC brackets its commands with these so the AOF gets one MULTI ... EXEC unit. */
  beginTransaction(dbId: number): void {
    this.txBuffer = { dbId, argvs: [] };
  }

  endTransaction(startDb: number): void {
    const tx = this.txBuffer;
    this.txBuffer = null;
    if (!tx || tx.argvs.length === 0) return;
    if (tx.argvs.length === 1) {
      this.aof?.feed(startDb, tx.argvs);
      return;
    }
    this.aof?.feed(startDb, [[Buffer.from('MULTI')], ...tx.argvs, [Buffer.from('EXEC')]]);
  }

  // ---- commands ----
  execute(c: Client, argv: Buffer[]): void {
    this.stats.commandsProcessed++;
    processCommand(c, argv);
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
  refuseWrite(cmd: { denyoom: boolean; write: boolean; ping: boolean }): ReplyError | null {
    if (cmd.denyoom) {
      const maxmemory = this.config.int('maxmemory');
      if (maxmemory > 0 && this.usedMemory() > maxmemory) return E.OOM;
    }
    if ((cmd.write || cmd.ping) && this.aof) return this.aof.writeError();
    return null;
  }

  /** used_memory: the data's cost plus Redis's figures for an empty server and each client (lib/memory.ts), not the V8 heap. */
  usedMemory(): number {
    return STARTUP_BYTES + this.memory.dataBytes() + this.clientsMemory();
  }

  /** What connections cost: a fixed amount each plus their unsent replies (INFO's mem_clients_normal). */
  clientsMemory(): number {
    let n = 0;
    for (const c of this.clients.values()) n += CLIENT_BYTES + c.socket.writableLength + c.reply.size;
    return n;
  }

  writeToClient(c: Client, data: Buffer): void {
    if (c.socket.destroyed) return;
    this.stats.netOutputBytes += data.length;
    if (this.aof?.writeGate && this.aof.writeGate(c, data)) return;
    c.socket.write(data);
    this.applyBackpressure(c);
    this.checkOutputLimit(c);
  }

  /**
   * A client that sends commands but does not read the replies would make the
   * server buffer them without bound (Redis's default `normal 0 0 0` limit).
   * Instead, stop reading its requests while too many reply bytes wait in the
   * socket, and resume once they drain: TCP then pushes back on the client.
   */
  applyBackpressure(c: Client): void {
    const sock = c.socket;
    if (sock.writableLength < READ_PAUSE_BYTES || sock.isPaused()) return;
    sock.pause();
    sock.once('drain', () => {
      if (!sock.destroyed) sock.resume();
    });
  }

  /** client-output-buffer-limit: a client whose unsent replies pass the hard limit (or the soft one for too long) is dropped. */
  private checkOutputLimit(c: Client): void {
    const pending = c.socket.writableLength;
    if (pending === 0) {
      softSince.delete(c);
      return;
    }
    const words = this.config.get('client-output-buffer-limit').split(' ');
    const cls = c.isSubscribed ? 'pubsub' : 'normal';
    for (let i = 0; i + 3 < words.length; i += 4) {
      if (words[i] !== cls) continue;
      const hard = Number(words[i + 1]);
      const soft = Number(words[i + 2]);
      const secs = Number(words[i + 3]);
      let over = hard > 0 && pending >= hard;
      if (!over && soft > 0 && pending >= soft) {
        const since = softSince.get(c);
        if (since === undefined) softSince.set(c, Date.now());
        else if (Date.now() - since >= secs * 1000) over = true;
      } else if (soft > 0 && pending < soft) {
        softSince.delete(c);
      }
      if (over) {
        this.log('warning', `Client id=${c.id} addr=${c.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
        c.close();
      }
    }
  }

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
  async start(): Promise<void> {
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
    await this.listen();
    await this.listenUnix();
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
    if (this.unixPath !== null) this.log('notice', 'Ready to accept connections unix');
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

  /** unixsocket: listen on a Unix socket as well (a stale socket file is replaced), with unixsocketperm's mode. */
  private async listenUnix(): Promise<void> {
    const file = this.config.get('unixsocket');
    if (file === '') return;
    fs.rmSync(file, { force: true });
    const srv = net.createServer((sock) => this.accept(sock, true));
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ path: file, backlog: this.config.int('tcp-backlog') }, () => {
          srv.off('error', reject);
          resolve();
        });
      });
      const perm = parseInt(this.config.get('unixsocketperm'), 8);
      if (perm !== 0) fs.chmodSync(file, perm);
    } catch (err) {
      for (const l of this.listeners) l.close();
      this.listeners = [];
      srv.close();
      throw new Error(`Failed opening Unix socket: ${strerror(err)}`);
    }
    this.listeners.push(srv);
    this.unixPath = file;
  }

  /** (Re)starts the periodic tasks at `hz` runs per second. */
  private armCron(): void {
    if (this.cron) clearInterval(this.cron);
    this.cron = setInterval(() => this.serverCron(), Math.max(1, Math.floor(1000 / Math.max(1, this.config.int('hz')))));
    this.cron.unref();
  }

  /**
   * CONFIG SET port / bind (Redis's changeListener): closes the TCP
   * listeners, then listens again on `port` with the current bind addresses
   * (port 0: TCP stays closed, as in Redis). Resolves false, with the reason
   * logged, when that fails; the caller restores the old values and calls it
   * again. The Unix socket is not touched.
   */
  async relisten(port: number): Promise<boolean> {
    const tcp = this.listeners.filter((l) => typeof l.address() !== 'string');
    this.listeners = this.listeners.filter((l) => !tcp.includes(l));
    for (const l of tcp) l.close();
    if (port === 0) {
      this.port = 0;
      return true;
    }
    try {
      await this.listen(port);
      return true;
    } catch (err) {
      this.log('warning', (err as Error).message);
      return false;
    }
  }

  private async listen(portOverride?: number): Promise<void> {
    const binds = this.config.get('bind').split(' ').filter(Boolean);
    let port = portOverride ?? this.config.int('port');
    const opened: net.Server[] = [];
    for (const b of binds) {
      const optional = b.startsWith('-');
      const host = optional ? b.slice(1) : b;
      const srv = net.createServer({ noDelay: true }, (sock) => this.accept(sock));
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen({ host: host === '*' ? undefined : host, port, backlog: this.config.int('tcp-backlog') }, () => {
            srv.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (optional && (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')) {
          this.log('warning', `Could not create server TCP listening socket ${host}:${port}: ${e.code}`);
          continue;
        }
        for (const l of opened) l.close();
        throw new ListenError(host, port, e);
      }
      opened.push(srv);
      if (port === 0) port = (srv.address() as net.AddressInfo).port;
    }
    if (opened.length === 0) throw new ListenError(binds.join(' '), port, new Error('no address could be bound'));
    this.listeners.push(...opened);
    this.port = port;
    this.log('notice', `Server initialized, listening on port ${port}`);
  }

  private accept(sock: net.Socket, unix = false): void {
    // Refused connections count only in rejected_connections, as in Redis (stat_numconnections is bumped after the checks).
    if (this.clients.size >= this.config.int('maxclients')) {
      this.refuse(sock, E.MAX_CLIENTS.message);
      return;
    }
    if (this.config.bool('protected-mode') && this.config.get('requirepass') === '' && !isLoopback(sock.remoteAddress)) {
      this.refuse(sock, PROTECTED_MODE_DENIED);
      return;
    }
    this.stats.connectionsReceived++;
    if (unix) {
      this.log('verbose', `Accepted connection to ${this.config.get('unixsocket')}`);
    } else {
      this.log('verbose', `Accepted ${sock.remoteAddress?.replace(/^::ffff:/, '')}:${sock.remotePort}`);
      sock.setNoDelay(true);
      const keepalive = this.config.int('tcp-keepalive');
      if (keepalive > 0) sock.setKeepAlive(true, keepalive * 1000);
    }
    const c = new Client(this, sock, this.nextClientId++);
    if (unix) unixClients.add(c);
    this.clients.set(c.id, c);
    // The peer closed its side (Redis: a read of 0 bytes).
    sock.on('end', () => {
      if (!c.closing) this.log('verbose', `Client closed connection ${describeClient(c)}`);
    });
    sock.on('data', (chunk: Buffer) => {
      this.stats.netInputBytes += chunk.length;
      c.onData(chunk);
    });
    sock.on('error', () => {
      /* reset by peer etc.: 'close' follows */
    });
    sock.on('close', () => this.disconnect(c));
  }

  /**
   * Sends one error line to a connection that is not admitted and closes it.
   * Its input is read and dropped (an unread socket would never see the
   * peer's close and would linger, holding a file descriptor), and it is
   * destroyed after a second whatever the peer does.
   */
  private refuse(sock: net.Socket, message: string): void {
    this.stats.rejectedConnections++;
    sock.on('error', () => {});
    sock.setTimeout(1000, () => sock.destroy());
    sock.resume();
    sock.end('-' + message + '\r\n');
  }

  /** Everything a client leaves behind goes away with it. */
  private disconnect(c: Client): void {
    if (!this.clients.delete(c.id)) return;
    c.closing = true;
    this.blocking.unblock(c);
    c.unwatchAll();
    softSince.delete(c);
    for (const h of disconnectHooks) h(c);
  }

  private serverCron(): void {
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
    for (const c of this.clients.values()) if (c.socket.writableLength > 0) this.checkOutputLimit(c);
  }

  /** Stops listening, closes every client, lets plugins flush. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.cron) clearInterval(this.cron);
      this.cron = null;
      // net.Server.close() only calls back once every connection has ended: close the clients before waiting.
      const unlistened = Promise.all(this.listeners.map((l) => new Promise<void>((r) => l.close(() => r()))));
      for (const c of this.clients.values()) c.close();
      await unlistened;
      for (const p of [...this.plugins].reverse()) await p.stop?.(this);
      if (this.aof) await this.aof.close();
      if (this.unixPath !== null) {
        this.log('notice', 'Removing the unix socket file.');
        fs.rmSync(this.unixPath, { force: true });
      }
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

/** Unsent reply bytes past which a client's requests stop being read (see applyBackpressure). */
export const READ_PAUSE_BYTES = 16 * 1024 * 1024;
/** When each client's pending output first passed its soft limit. */
const softSince = new WeakMap<Client, number>();
/** Where pidfile goes when `daemonize yes` names none (Redis's CONFIG_DEFAULT_PID_FILE is /var/run/redis.pid). */
const DEFAULT_PIDFILE = '/var/run/rivulet.pid';
/** The CLIENT LIST line of a client, for log lines; commands/server/client.ts installs the full one. */
let describeClient = (c: Client): string => `id=${c.id} addr=${c.addr}`;
export function setClientDescriber(f: (c: Client) => string): void {
  describeClient = f;
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
export const disconnectHooks: ((c: Client) => void)[] = [];
/** Modules register what RESET must undo for them here (e.g. unsubscribe everything). */
export const resetHooks: ((c: Client) => void)[] = [];

export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly listenPort: number,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`Could not create server TCP listening socket ${host}:${listenPort}: bind: ${describe(cause)}`);
  }
}

function describe(e: NodeJS.ErrnoException): string {
  if (e.code === 'EADDRINUSE') return 'Address already in use';
  if (e.code === 'EADDRNOTAVAIL') return 'Cannot assign requested address';
  if (e.code === 'EACCES') return 'Permission denied';
  return e.message;
}

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

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true; // unix sockets
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

/** Redis's text word for word (networking.c; 7.2+ corrected 7.0's "Setup a an" to "Set up an"): clients may match on it. */
export const PROTECTED_MODE_DENIED =
  "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.";
