/**
 * The operator side of command execution, one object per engine
 * (`engine.ops`), reached from the dispatcher only through cheap tests:
 *
 * - `slowUsec`: a call at least this long goes to the slow log and/or the
 *   latency monitor (Infinity while both are off);
 * - `watching`: some client MONITORs or tracks keys — then every executed
 *   command is fed to the monitors (Redis's line format) and its keys read
 *   are remembered for client-side caching (lib/engine/tracking.ts);
 * - `paused`: CLIENT PAUSE is on — commands it covers are postponed: the
 *   session keeps its argv in `postponed` and its connection stops reading
 *   until the pause ends, when the engine runs it again from the start;
 * - `c.replyControl`: CLIENT REPLY OFF/SKIP — the engine drops the command's
 *   reply from the session's reply writer (pushes still go out, as in 7.2+).
 *
 * Nothing here touches sockets: monitors and invalidation targets get bytes
 * in their session's reply writer and are flushed through their Link.
 */
import type { Session } from './session.js';
import type { Engine } from './engine.js';
import type { CommandSpec } from '../command.js';
import { SlowLog, LatencyMonitor } from './oplog.js';
import { Tracking } from './tracking.js';
import * as E from '../errors.js';

/** Session.replyControl bits (Redis's CLIENT_REPLY_OFF, _SKIP, _SKIP_NEXT). */
export const REPLY_OFF = 1;
/** The running command's reply is dropped (set from SKIP_NEXT when the command starts). */
export const REPLY_SKIP = 2;
/** CLIENT REPLY SKIP ran: the next command's reply is dropped. */
export const REPLY_SKIP_NEXT = 4;

/** CLIENT PAUSE modes. */
export const PAUSE_NONE = 0;
export const PAUSE_WRITE = 1;
export const PAUSE_ALL = 2;

/** What processCommand does with a command gate() looked at. */
export const HELD = 1;

export class Operations {
  readonly slowlog = new SlowLog();
  readonly latency = new LatencyMonitor();
  readonly monitors = new Set<Session>();
  readonly tracking: Tracking;
  /** See the module comment. Kept in step with the config and the monitor/tracking sets. */
  slowUsec = Infinity;
  watching = false;
  /** PAUSE_NONE / PAUSE_WRITE / PAUSE_ALL. */
  paused = PAUSE_NONE;
  /** Unix ms when the pause ends. */
  private pauseEnd = 0;
  private pauseTimer: NodeJS.Timeout | null = null;
  /** Sessions with a postponed command, in arrival order. */
  private readonly postponedSessions: Session[] = [];
  private slowlogThreshold = 10_000;
  private slowlogMaxLen = 128;
  private latencyThreshold = 0;
  /** Monitors given a line, flushed together once the current batch is done. */
  private readonly outbox = new Set<Session>();
  private outboxQueued = false;

  constructor(private readonly engine: Engine) {
    this.tracking = new Tracking(engine, () => this.trackingChanged());
  }

  /** Reads the directives and follows CONFIG SET (called once the config is final). */
  install(): void {
    const config = this.engine.config;
    const read = (): void => {
      this.slowlogThreshold = config.int('slowlog-log-slower-than');
      this.slowlogMaxLen = config.int('slowlog-max-len');
      this.latencyThreshold = config.int('latency-monitor-threshold');
      this.engine.stats.latencyTracking = config.bool('latency-tracking');
      let t = Infinity;
      if (this.slowlogThreshold >= 0 && this.slowlogMaxLen > 0) t = this.slowlogThreshold;
      if (this.latencyThreshold > 0) t = Math.min(t, this.latencyThreshold * 1000);
      // A smaller slowlog-max-len trims at the next logged command, as in Redis (0 turns the log off and keeps it).
      this.slowUsec = t;
    };
    read();
    config.onChange((name) => {
      if (name === 'slowlog-log-slower-than' || name === 'slowlog-max-len' || name === 'latency-monitor-threshold' || name === 'latency-tracking') read();
    });
  }

  /** A call took `usec` ≥ slowUsec: the slow log and the latency monitor (Redis's call()). */
  slow(c: Session, spec: CommandSpec, argv: Buffer[], usec: number): void {
    const ms = Math.floor(usec / 1000);
    if (this.latencyThreshold > 0 && ms >= this.latencyThreshold) this.latency.add(spec.flags.includes('fast') ? 'fast-command' : 'command', ms);
    if (this.slowlogThreshold >= 0 && this.slowlogMaxLen > 0 && usec >= this.slowlogThreshold && !spec.flags.includes('skip_slowlog')) {
      this.slowlog.push(argv, usec, c.addr, c.name, this.slowlogMaxLen);
    }
  }

  /** After every executed command while `watching`: MONITOR lines, keys read for tracking. */
  commandRan(c: Session, spec: CommandSpec, argv: Buffer[]): void {
    if (this.monitors.size > 0 && !this.engine.reprocessing && !spec.flags.includes('admin') && !spec.flags.includes('skip_monitor')) {
      this.feedMonitors(c, argv);
    }
    if (this.tracking.clientCount > 0) this.tracking.commandRan(spec, argv);
  }

  /** Engine hook: the number of tracking clients changed. */
  trackingChanged(): void {
    this.watching = this.monitors.size > 0 || this.tracking.clientCount > 0;
  }

  // ---- MONITOR ----

  /** MONITOR: `c` receives every command from now on. False when it already did (Redis then replies nothing). */
  addMonitor(c: Session): boolean {
    if (c.monitoring) return false;
    c.monitoring = true;
    this.monitors.add(c);
    this.watching = true;
    return true;
  }

  removeMonitor(c: Session): void {
    if (!c.monitoring) return;
    c.monitoring = false;
    this.monitors.delete(c);
    this.trackingChanged();
  }

  /**
   * One MONITOR line to every monitor, as replicationFeedMonitors writes it:
   * `+<secs>.<usecs> [<db> <ip:port>|lua|unix:<path>] "arg" "arg"...`, each
   * argument quoted like sdscatrepr. EVAL/EVALSHA/FCALL call this themselves
   * before running, so their script's commands follow them.
   */
  feedMonitors(c: Session, argv: Buffer[]): void {
    if (this.monitors.size === 0 || this.engine.loading) return;
    const nowUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    let line = `+${Math.floor(nowUs / 1e6)}.${String(nowUs % 1e6).padStart(6, '0')} [${c.db.id} `;
    if (c.isScript) line += 'lua]';
    else if (c.link !== null && c.link.remoteAddress === undefined) line += `unix:${this.engine.config.get('unixsocket')}]`;
    else line += `${c.addr}]`;
    const redact = redactedArgs(argv);
    for (let i = 0; i < argv.length; i++) line += i >= redact.from && i < redact.to ? ' "(redacted)"' : ' ' + repr(argv[i]);
    const frame = Buffer.from(line + '\r\n', 'latin1');
    for (const m of this.monitors) {
      if (m.gone) continue;
      m.reply.raw(frame);
      if (m !== this.engine.currentClient) this.outbox.add(m);
    }
    if (this.outbox.size > 0 && !this.outboxQueued) {
      this.outboxQueued = true;
      queueMicrotask(this.flushOutbox);
    }
  }

  private readonly flushOutbox = (): void => {
    this.outboxQueued = false;
    for (const m of this.outbox) if (m.reply.size > 0 && !m.gone) m.flush();
    this.outbox.clear();
  };

  // ---- processCommand's gate: MONITOR clients, CLIENT PAUSE ----

  /**
   * For a monitoring client or while paused (processCommand tests those
   * first): an error to reject the command with, HELD when it was postponed,
   * or null to run it. `queue` is EXEC's transaction, whose commands count.
   */
  gate(c: Session, spec: CommandSpec, argv: Buffer[]): E.ReplyError | typeof HELD | null {
    const queue = spec.name === 'exec' ? c.multi?.queue : undefined;
    const has = (flag: 'write' | 'may_replicate' | 'readonly'): boolean =>
      spec.flags.includes(flag) || (queue !== undefined && queue.has(flag));
    const mayReplicate = has('write') || has('may_replicate');
    // A monitor is a replica to Redis: it may not touch the keyspace (and is never paused).
    if (c.monitoring) return mayReplicate || has('readonly') ? E.REPLICA_KEYSPACE : null;
    if (this.paused === PAUSE_ALL || (this.paused === PAUSE_WRITE && mayReplicate)) {
      c.postponed = argv;
      this.postponedSessions.push(c);
      // It did not run: it is counted when it runs.
      this.engine.stats.commandsProcessed--;
      return HELD;
    }
    return null;
  }

  /** CLIENT PAUSE: the later end wins, and so does ALL over WRITE while a pause lasts (Redis's pauseClientsByClient). */
  pause(ms: number, mode: number): void {
    this.pauseEnd = Math.max(this.pauseEnd, Date.now() + ms);
    this.paused = Math.max(this.paused, mode);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.unpause(), Math.max(0, this.pauseEnd - Date.now()));
    this.pauseTimer.unref();
  }

  /** CLIENT UNPAUSE, or the pause's end. */
  unpause(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
    this.paused = PAUSE_NONE;
    this.pauseEnd = 0;
    this.resumePostponed();
  }

  /** Postponed commands run again from the start, in arrival order, after the current command (Redis: in beforeSleep). */
  private resumePostponed(): void {
    if (this.postponedSessions.length === 0) return;
    setImmediate(() => {
      const list = this.postponedSessions.splice(0);
      for (const c of list) {
        const argv = c.postponed;
        c.postponed = null;
        if (argv === null || c.gone || c.closing) continue;
        this.engine.execute(c, argv);
        this.engine.afterCommand();
        c.flush();
        // The connection reads what it held back meanwhile.
        if (c.postponed === null) c.scheduleResume();
      }
    });
  }

  // ---- CLIENT REPLY ----

  /** engine.execute for a session with CLIENT REPLY OFF or SKIP: the reply is dropped, pushes are kept. */
  executeSilenced(c: Session, argv: Buffer[], run: (c: Session, argv: Buffer[]) => void): void {
    if (c.replyControl & REPLY_SKIP_NEXT) c.replyControl = (c.replyControl & ~REPLY_SKIP_NEXT) | REPLY_SKIP;
    const mark = c.reply.mark();
    run(c, argv);
    // CLIENT REPLY ON cleared the bits before replying: its +OK is heard.
    if (c.replyControl & (REPLY_OFF | REPLY_SKIP)) c.reply.rewind(mark);
    c.replyControl &= ~REPLY_SKIP;
    const pushes = c.deferredPushes;
    if (pushes !== null && this.engine.callDepth === 0) {
      c.deferredPushes = null;
      for (const frame of pushes) c.reply.raw(frame);
    }
  }

  // ---- clients going away ----

  /** Disconnect and RESET: no longer monitoring or tracking; a disconnected client's postponed command is dropped. */
  forget(c: Session, disconnected: boolean): void {
    this.removeMonitor(c);
    this.tracking.disable(c);
    if (disconnected) {
      c.postponed = null;
      const i = this.postponedSessions.indexOf(c);
      if (i >= 0) this.postponedSessions.splice(i, 1);
    } else {
      // RESET clears CLIENT REPLY OFF/SKIP, NO-TOUCH and NO-EVICT too (clearClientConnectionState).
      c.replyControl = 0;
      c.noTouch = false;
      c.noEvict = false;
    }
  }
}

/**
 * Arguments MONITOR shows as "(redacted)" (Redis's redactClientCommandArgument):
 * AUTH's, HELLO's AUTH user and password, MIGRATE's AUTH/AUTH2 credentials.
 */
function redactedArgs(argv: Buffer[]): { from: number; to: number } {
  const name = argv[0].toString('latin1').toLowerCase();
  if (name === 'auth') return { from: 1, to: argv.length };
  if (name === 'hello') {
    for (let j = 2; j + 2 < argv.length; j++) if (argv[j].toString('latin1').toLowerCase() === 'auth') return { from: j + 1, to: j + 3 };
  } else if (name === 'migrate') {
    for (let j = 6; j < argv.length; j++) {
      const w = argv[j].toString('latin1').toLowerCase();
      if (w === 'auth') return { from: j + 1, to: j + 2 };
      if (w === 'auth2') return { from: j + 1, to: j + 3 };
    }
  }
  return { from: 0, to: 0 };
}

/** sdscatrepr: quoted, with \n \r \t \a \b \\ \" escapes and \xHH for other bytes outside printable ASCII. */
export function repr(b: Buffer): string {
  let s = '"';
  for (const x of b) {
    if (x === 0x5c || x === 0x22) s += '\\' + String.fromCharCode(x);
    else if (x === 0x0a) s += '\\n';
    else if (x === 0x0d) s += '\\r';
    else if (x === 0x09) s += '\\t';
    else if (x === 0x07) s += '\\a';
    else if (x === 0x08) s += '\\b';
    else if (x >= 0x20 && x < 0x7f) s += String.fromCharCode(x);
    else s += '\\x' + x.toString(16).padStart(2, '0');
  }
  return s + '"';
}
