/**
 * Server-assisted client-side caching (CLIENT TRACKING), as Redis's
 * tracking.c does it.
 *
 * Default mode: after a read-only command run for a tracking client, the
 * keys it read are remembered in one table (key → ids of the clients that
 * read it; databases are not told apart, as in Redis). When a key changes
 * (write, delete, expiry) every client in its entry gets one invalidation and
 * the entry is dropped until the key is read again. OPTIN remembers only the
 * command after CLIENT CACHING yes; OPTOUT all but the one after CLIENT
 * CACHING no. BCAST: no table; a client registers prefixes (none = every
 * key) and gets, once per event-loop turn, the keys modified under them.
 *
 * Delivery: a RESP3 client gets a push `>2 invalidate [keys]` on its own
 * connection; REDIRECT sends it to another client instead — a push if that
 * one speaks RESP3, else a Pub/Sub message on `__redis__:invalidate` when it
 * is subscribed (RESP2 has no pushes). FLUSHDB/FLUSHALL/SWAPDB send a null
 * key list to every tracking client. NOLOOP: nothing about keys the client
 * changed itself. Invalidations the running client causes itself are written
 * after its reply (its session's deferred pushes), never inside it.
 *
 * The engine only calls in here while at least one client tracks
 * (Engine.ops.watching), so the default path costs a boolean test.
 */
import type { Session } from './session.js';
import { Proto } from '../resp/writer.js';
import { keyIndices, type CommandSpec } from '../command.js';

export interface TrackingState {
  /** Client id the invalidations go to; 0 = this connection. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING yes (OPTIN) / no (OPTOUT) was given for the next command. */
  caching: boolean;
  /** The redirect target has disconnected (CLIENT TRACKINGINFO broken_redirect, flag R). */
  brokenRedirect: boolean;
  /** BCAST prefixes (latin1), sorted as Redis's radix tree lists them. */
  prefixes: string[];
}

export interface TrackingOptions {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
}

/** What tracking needs from the engine. */
export interface TrackingHost {
  /** Connected sessions by id. */
  readonly clients: Map<number, Session>;
  /** The client whose top-level command is running (Redis's server.current_client), or null. */
  readonly currentClient: Session | null;
  /** call() nesting: > 0 while a command runs. */
  readonly callDepth: number;
}

const INVALIDATE = Buffer.from('>2\r\n$10\r\ninvalidate\r\n');
const REDIR_BROKEN = Buffer.from('>2\r\n$21\r\ntracking-redir-broken\r\n');
const CHANNEL_MESSAGE = Buffer.from('*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n');
const NULL3 = Buffer.from('_\r\n');
const NULL2 = Buffer.from('$-1\r\n');

/** Keys: RESP array of bulk strings. */
function keysFrame(keys: string[]): Buffer {
  let s = `*${keys.length}\r\n`;
  for (const k of keys) s += `$${Buffer.byteLength(k, 'latin1')}\r\n${k}\r\n`;
  return Buffer.from(s, 'latin1');
}

export class Tracking {
  /** Tracking sessions → their state (also on the session as `c.tracking`). */
  private readonly states = new Map<Session, TrackingState>();
  /** Key (latin1) → ids of the clients that read it. Invariant: no empty sets. */
  private readonly table = new Map<string, Set<number>>();
  /** BCAST prefix → its clients, and the keys modified under it this turn (key → the session that modified it, for NOLOOP). */
  private readonly prefixTable = new Map<string, { clients: Set<Session>; keys: Map<string, Session | null> }>();
  private broadcastQueued = false;
  /** stats.commandsProcessed of the command whose flush was announced (FLUSHALL flushes every db: one notice). */
  private flushNotice = -1;
  /** Sessions given out-of-band output, flushed together once the current batch is done. */
  private readonly outbox = new Set<Session>();
  private outboxQueued = false;

  constructor(
    private readonly host: TrackingHost,
    /** Called whenever a client starts or stops tracking. */
    private readonly changed: () => void,
  ) {}

  get clientCount(): number {
    return this.states.size;
  }

  /** INFO tracking_total_items: (key, client) pairs in the table. */
  get totalItems(): number {
    let n = 0;
    for (const ids of this.table.values()) n += ids.size;
    return n;
  }

  get totalKeys(): number {
    return this.table.size;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /** The prefix error Redis's checkPrefixCollisionsOrReply gives, or null. */
  prefixCollision(c: Session, prefixes: string[]): string | null {
    const existing = c.tracking?.prefixes ?? [];
    for (let i = 0; i < prefixes.length; i++) {
      for (const e of existing) {
        if (e.startsWith(prefixes[i]) || prefixes[i].startsWith(e)) {
          return `Prefix '${prefixes[i]}' overlaps with an existing prefix '${e}'. Prefixes for a single client must not overlap.`;
        }
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (prefixes[j].startsWith(prefixes[i]) || prefixes[i].startsWith(prefixes[j])) {
          return `Prefix '${prefixes[i]}' overlaps with another provided prefix '${prefixes[j]}'. Prefixes for a single client must not overlap.`;
        }
      }
    }
    return null;
  }

  /** CLIENT TRACKING ON (enableTracking): options replace the old ones, BCAST prefixes are added, CACHING is kept. */
  enable(c: Session, redirect: number, opts: TrackingOptions, prefixes: string[]): void {
    const prev = c.tracking;
    const state: TrackingState = {
      redirect,
      bcast: opts.bcast,
      optin: opts.optin,
      optout: opts.optout,
      noloop: opts.noloop,
      caching: prev?.caching ?? false,
      brokenRedirect: false,
      prefixes: prev?.prefixes ?? [],
    };
    c.tracking = state;
    this.states.set(c, state);
    if (opts.bcast) {
      const add = prefixes.length === 0 ? [''] : prefixes;
      for (const p of add) {
        let entry = this.prefixTable.get(p);
        if (!entry) this.prefixTable.set(p, (entry = { clients: new Set(), keys: new Map() }));
        if (entry.clients.has(c)) continue;
        entry.clients.add(c);
        state.prefixes.push(p);
      }
      state.prefixes.sort(byBytes);
    }
    if (prev === null) this.changed();
  }

  /** CLIENT TRACKING OFF, RESET, disconnect. Table entries of the client are skipped lazily, as in Redis. */
  disable(c: Session): void {
    const state = c.tracking;
    if (state === null) return;
    for (const p of state.prefixes) {
      const entry = this.prefixTable.get(p);
      if (!entry) continue;
      entry.clients.delete(c);
      if (entry.clients.size === 0) this.prefixTable.delete(p);
    }
    c.tracking = null;
    this.states.delete(c);
    this.changed();
  }

  /**
   * After a command ran (any nesting level): remember the keys a read-only
   * command read, for the client whose top-level command this is (a script's
   * reads count for its caller). Not for EVAL_RO/FCALL_RO themselves, nor
   * Pub/Sub commands (shard channels are keys to COMMAND, not data).
   */
  commandRan(spec: CommandSpec, argv: Buffer[]): void {
    const tracker = this.host.currentClient;
    const state = tracker?.tracking;
    if (!state || state.bcast || !spec.flags.includes('readonly') || spec.flags.includes('pubsub') || NOT_TRACKED.has(spec.name)) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    const id = tracker!.id;
    for (const i of keyIndices(spec, argv)) {
      const k = argv[i].toString('latin1');
      let ids = this.table.get(k);
      if (!ids) this.table.set(k, (ids = new Set()));
      ids.add(id);
    }
  }

  /**
   * After a top-level command of `c` (Redis's resetClient): CLIENT CACHING
   * applies to the next command only — kept across CLIENT subcommands and
   * while queueing in MULTI.
   */
  topLevelDone(c: Session, fullName: string): void {
    const state = c.tracking;
    if (state !== null && state.caching && c.multi === null && !fullName.startsWith('client|')) state.caching = false;
  }

  /** A key changed (trackingInvalidateKey); `by` is the client whose command changed it, or null (expiry in the background). */
  keyChanged(key: string, by: Session | null): void {
    if (this.prefixTable.size > 0) {
      for (const [p, entry] of this.prefixTable) {
        if (key.startsWith(p)) {
          entry.keys.set(key, by);
          this.queueBroadcast();
        }
      }
    }
    const ids = this.table.get(key);
    if (ids === undefined) return;
    this.table.delete(key);
    const clients = this.host.clients;
    for (const id of ids) {
      const target = clients.get(id);
      if (target === undefined) continue;
      const state = target.tracking;
      if (state === null || state.bcast) continue;
      if (state.noloop && target === by) continue;
      this.send(target, state, keysFrame([key]), null);
    }
  }

  /** FLUSHDB/FLUSHALL/SWAPDB (trackingInvalidateKeysOnFlush): every tracking client gets a null key list, once per command. */
  flushed(commandNumber: number): void {
    if (commandNumber === this.flushNotice) return;
    this.flushNotice = commandNumber;
    for (const [c, state] of this.states) this.send(c, state, null, c.proto);
    this.table.clear();
  }

  private queueBroadcast(): void {
    if (this.broadcastQueued) return;
    this.broadcastQueued = true;
    // Redis broadcasts in beforeSleep, once per event-loop turn: here once the current batch of commands is done.
    setImmediate(() => {
      this.broadcastQueued = false;
      this.broadcast();
    });
  }

  /** trackingBroadcastInvalidationMessages: per prefix, its modified keys to each of its clients (minus NOLOOP's own). */
  private broadcast(): void {
    for (const entry of this.prefixTable.values()) {
      if (entry.keys.size === 0) continue;
      for (const c of entry.clients) {
        const state = c.tracking;
        if (state === null) continue;
        const keys: string[] = [];
        for (const [k, by] of entry.keys) if (!(state.noloop && by === c)) keys.push(k);
        if (keys.length > 0) this.send(c, state, keysFrame(keys), null);
      }
      entry.keys.clear();
    }
  }

  /**
   * sendTrackingMessage: to the client, or its redirect target. `keys` is the
   * RESP array, or null for a flush — sent as the null of `nullProto` (the
   * tracking client's protocol, as Redis picks it).
   */
  private send(c: Session, state: TrackingState, keys: Buffer | null, nullProto: Proto | null): void {
    let target = c;
    let redirected = false;
    if (state.redirect !== 0) {
      const r = this.host.clients.get(state.redirect);
      if (r === undefined) {
        state.brokenRedirect = true;
        if (c.proto === Proto.RESP3) this.deliver(c, Buffer.concat([REDIR_BROKEN, Buffer.from(`:${state.redirect}\r\n`)]));
        return;
      }
      target = r;
      redirected = true;
    }
    let head: Buffer;
    if (target.proto === Proto.RESP3) head = INVALIDATE;
    else if (redirected && target.isSubscribed) head = CHANNEL_MESSAGE;
    else return; // RESP2 without redirection: nothing can carry the message
    const body = keys ?? (nullProto === Proto.RESP3 ? NULL3 : NULL2);
    this.deliver(target, Buffer.concat([head, body]));
  }

  /** Out-of-band output: after the running command's reply for its own client, else flushed with the current batch. */
  private deliver(target: Session, frame: Buffer): void {
    if (target.gone) return;
    if (target === this.host.currentClient && this.host.callDepth > 0) {
      (target.deferredPushes ??= []).push(frame);
      return;
    }
    target.reply.raw(frame);
    this.outbox.add(target);
    if (!this.outboxQueued) {
      this.outboxQueued = true;
      queueMicrotask(this.flushOutbox);
    }
  }

  private readonly flushOutbox = (): void => {
    this.outboxQueued = false;
    for (const t of this.outbox) if (t.reply.size > 0 && !t.gone) t.flush();
    this.outbox.clear();
  };
}

/** Read-only scripts: only the commands they run are tracked (Redis's call()). */
const NOT_TRACKED = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
