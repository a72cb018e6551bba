/**
 * The Pub/Sub registry: who listens on which channel, pattern and shard
 * channel; delivery of published messages; keyspace notifications; the INFO
 * fields; cleanup when a client disconnects or sends RESET.
 *
 * Names are kept as latin1 strings (one char per byte), so channels and
 * patterns are binary-safe and compare byte for byte, like keys.
 *
 * Delivery: a message is encoded once per receiver protocol (RESP2 array /
 * RESP3 push) and copied into each receiver's reply buffer. Receivers other
 * than the running client are flushed once per event-loop turn (a microtask
 * after the publisher's pipeline), so a burst of PUBLISHes costs one socket
 * write per subscriber, and the output-buffer limit is checked on that write.
 */
import type { Session } from './engine/session.js';
import type { Engine } from './engine/engine.js';
import { disconnectHooks, resetHooks } from './engine/engine.js';
import { globMatch } from './glob.js';
import { Proto } from './resp/writer.js';
import { NOTIFY, classBit, flagsOfConfigValue } from './keyspace-events.js';

/** The three subscription namespaces. Shard channels only differ in name and count (single node: no slots). */
export const enum Kind {
  Channel,
  Pattern,
  Shard,
}

/** Confirmation / message words per kind, as Redis sends them. */
const WORDS: Record<Kind, { sub: string; unsub: string }> = {
  [Kind.Channel]: { sub: 'subscribe', unsub: 'unsubscribe' },
  [Kind.Pattern]: { sub: 'psubscribe', unsub: 'punsubscribe' },
  [Kind.Shard]: { sub: 'ssubscribe', unsub: 'sunsubscribe' },
};

const MESSAGE = Buffer.from('$7\r\nmessage\r\n');
const PMESSAGE = Buffer.from('$8\r\npmessage\r\n');
const SMESSAGE = Buffer.from('$8\r\nsmessage\r\n');

export class PubSub {
  /**
   * channel → subscribers, in subscription order (delivery order). Invariant:
   * no empty sets (a channel without subscribers is removed), and `c` is in
   * channels.get(ch) exactly when c.channels has ch. Same for the others.
   */
  readonly channels = new Map<string, Set<Session>>();
  /** pattern → its bytes (for matching) and subscribers. */
  readonly patterns = new Map<string, { bytes: Buffer; clients: Set<Session> }>();
  readonly shardChannels = new Map<string, Set<Session>>();
  /** Clients with at least one subscription of any kind (INFO pubsub_clients). */
  subscribedClients = 0;
  /** Keyspace notification flags (NOTIFY bits), from notify-keyspace-events. */
  notifyFlags = 0;
  /** Receivers with unflushed messages, flushed together by one microtask. */
  private readonly pending = new Set<Session>();
  private flushQueued = false;

  /** Subscribes `c` to each name, replying one confirmation per name (also for names it already had). O(N). */
  subscribe(c: Session, kind: Kind, names: Buffer[]): void {
    const wasSubscribed = c.isSubscribed;
    const own = clientSet(c, kind);
    for (const name of names) {
      const key = name.toString('latin1');
      if (!own.has(key)) {
        own.add(key);
        this.registryAdd(kind, key, name, c);
      }
      confirm(c, WORDS[kind].sub, name, count(c, kind));
    }
    if (!wasSubscribed && c.isSubscribed) this.subscribedClients++;
  }

  /**
   * Unsubscribes `c` from each name, or from everything of this kind when
   * `names` is empty (one confirmation per dropped subscription; a single one
   * with a nil name and count 0 when there was nothing to drop).
   */
  unsubscribe(c: Session, kind: Kind, names: Buffer[]): void {
    const wasSubscribed = c.isSubscribed;
    const own = clientSet(c, kind);
    const word = WORDS[kind].unsub;
    if (names.length === 0) {
      if (own.size === 0) {
        c.reply.push(3);
        c.reply.bulk(word);
        c.reply.nullBulk();
        c.reply.int(count(c, kind));
      }
      for (const key of [...own]) {
        own.delete(key);
        this.registryDelete(kind, key, c);
        confirm(c, word, Buffer.from(key, 'latin1'), count(c, kind));
      }
    } else {
      for (const name of names) {
        const key = name.toString('latin1');
        if (own.delete(key)) this.registryDelete(kind, key, c);
        confirm(c, word, name, count(c, kind));
      }
    }
    if (wasSubscribed && !c.isSubscribed) this.subscribedClients--;
  }

  /** Drops every subscription of `c` without replying (disconnect, RESET). */
  forget(c: Session): void {
    const wasSubscribed = c.isSubscribed;
    for (const kind of [Kind.Channel, Kind.Pattern, Kind.Shard]) {
      const own = clientSet(c, kind);
      for (const key of own) this.registryDelete(kind, key, c);
      own.clear();
    }
    this.pending.delete(c);
    if (wasSubscribed) this.subscribedClients--;
  }

  /**
   * Delivers `message` to the channel's subscribers, then to every client of
   * every matching pattern (a client matching twice receives twice). Returns
   * the number of deliveries, PUBLISH's reply. O(N + P) for N receivers and P patterns.
   */
  publish(channel: Buffer, message: Buffer, from: Session | null): number {
    let receivers = 0;
    const subs = this.channels.get(channel.toString('latin1'));
    if (subs) {
      const frames = new Frames(MESSAGE, null, channel, message);
      for (const c of subs) this.deliver(c, frames.for(c.proto), from);
      receivers += subs.size;
    }
    if (this.patterns.size > 0) {
      for (const entry of this.patterns.values()) {
        if (!globMatch(entry.bytes, channel)) continue;
        const frames = new Frames(PMESSAGE, entry.bytes, channel, message);
        for (const c of entry.clients) this.deliver(c, frames.for(c.proto), from);
        receivers += entry.clients.size;
      }
    }
    return receivers;
  }

  /** SPUBLISH: shard-channel subscribers only (patterns never see shard messages). */
  spublish(channel: Buffer, message: Buffer, from: Session | null): number {
    const subs = this.shardChannels.get(channel.toString('latin1'));
    if (!subs) return 0;
    const frames = new Frames(SMESSAGE, null, channel, message);
    for (const c of subs) this.deliver(c, frames.for(c.proto), from);
    return subs.size;
  }

  /**
   * A keyspace notification, as Redis's notifyKeyspaceEvent: nothing unless
   * the event's class is enabled, then `event` on __keyspace@<db>__:<key>
   * (with K) and `key` on __keyevent@<db>__:<event> (with E).
   */
  notify(classFlag: string, event: string, key: string, dbId: number): void {
    const flags = this.notifyFlags;
    if ((flags & classBit(classFlag)) === 0) return;
    if (flags & NOTIFY.K) {
      this.publish(Buffer.from(`__keyspace@${dbId}__:${key}`, 'latin1'), Buffer.from(event, 'latin1'), null);
    }
    if (flags & NOTIFY.E) {
      this.publish(Buffer.from(`__keyevent@${dbId}__:${event}`, 'latin1'), Buffer.from(key, 'latin1'), null);
    }
  }

  /** Copies an encoded message into `c`'s reply buffer; the running client flushes itself after its command. */
  private deliver(c: Session, frame: Buffer, from: Session | null): void {
    if (c.gone) return;
    const server = c.server;
    if (c === server.executingClient && !server.executingPushReply) {
      // Caused by c's own command (PUBLISH to itself, a keyspace event of its write): after its reply, as Redis 7.2+.
      (c.deferredPushes ??= []).push(frame);
      return;
    }
    c.reply.raw(frame);
    if (c === from) return;
    this.pending.add(c);
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushPending);
    }
  }

  private readonly flushPending = (): void => {
    this.flushQueued = false;
    for (const c of this.pending) {
      if (c.reply.size > 0 && !c.gone) c.flush();
    }
    this.pending.clear();
  };

  private registryAdd(kind: Kind, key: string, name: Buffer, c: Session): void {
    if (kind === Kind.Pattern) {
      let entry = this.patterns.get(key);
      if (!entry) this.patterns.set(key, (entry = { bytes: Buffer.from(name), clients: new Set() }));
      entry.clients.add(c);
      return;
    }
    const map = kind === Kind.Channel ? this.channels : this.shardChannels;
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(c);
  }

  private registryDelete(kind: Kind, key: string, c: Session): void {
    if (kind === Kind.Pattern) {
      const entry = this.patterns.get(key);
      if (entry && entry.clients.delete(c) && entry.clients.size === 0) this.patterns.delete(key);
      return;
    }
    const map = kind === Kind.Channel ? this.channels : this.shardChannels;
    const set = map.get(key);
    if (set && set.delete(c) && set.size === 0) map.delete(key);
  }
}

/** One message encoded lazily for each protocol: identical bytes except the first (`*` vs `>`). */
class Frames {
  private resp2: Buffer | null = null;
  private resp3: Buffer | null = null;
  constructor(
    private readonly type: Buffer,
    private readonly pattern: Buffer | null,
    private readonly channel: Buffer,
    private readonly message: Buffer,
  ) {}

  for(proto: Proto): Buffer {
    if (this.resp2 === null) this.resp2 = encode(this.type, this.pattern, this.channel, this.message);
    if (proto !== Proto.RESP3) return this.resp2;
    if (this.resp3 === null) {
      this.resp3 = Buffer.from(this.resp2);
      this.resp3[0] = 0x3e; // '>'
    }
    return this.resp3;
  }
}

function encode(type: Buffer, pattern: Buffer | null, channel: Buffer, message: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from(pattern ? '*4\r\n' : '*3\r\n'), type];
  if (pattern) parts.push(Buffer.from(`$${pattern.length}\r\n`), pattern, CRLF);
  parts.push(Buffer.from(`$${channel.length}\r\n`), channel, CRLF, Buffer.from(`$${message.length}\r\n`), message, CRLF);
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n');

function clientSet(c: Session, kind: Kind): Set<string> {
  return kind === Kind.Channel ? c.channels : kind === Kind.Pattern ? c.patterns : c.shardChannels;
}

/** The count in a confirmation: channels + patterns for those kinds, shard channels alone for shard ones (as Redis). */
function count(c: Session, kind: Kind): number {
  return kind === Kind.Shard ? c.shardChannels.size : c.channels.size + c.patterns.size;
}

function confirm(c: Session, word: string, name: Buffer, n: number): void {
  c.reply.push(3);
  c.reply.bulk(word);
  c.reply.bulk(name);
  c.reply.int(n);
}

// ---- per-server instance and installation ------------------------------------

const registries = new WeakMap<Engine, PubSub>();

/** The server's Pub/Sub registry (created on first use, so commands work even without the plugin). */
export function pubsubOf(server: Engine): PubSub {
  let ps = registries.get(server);
  if (!ps) registries.set(server, (ps = new PubSub()));
  return ps;
}

let hooksRegistered = false;

/** Plugin installer (lib/plugins.ts): keyspace notifications, INFO fields, cleanup hooks. */
export function installPubSub(server: Engine): void {
  const ps = pubsubOf(server);
  ps.notifyFlags = flagsOfConfigValue(server.config.get('notify-keyspace-events'));
  server.config.onChange((name, value) => {
    if (name === 'notify-keyspace-events') ps.notifyFlags = flagsOfConfigValue(value);
  });
  server.notifier = (classFlag, event, key, dbId) => ps.notify(classFlag, event, key, dbId);
  addInfo(server, 'clients', () => [['pubsub_clients', ps.subscribedClients]]);
  addInfo(server, 'stats', () => [
    ['pubsub_channels', ps.channels.size],
    ['pubsub_patterns', ps.patterns.size],
    ['pubsubshard_channels', ps.shardChannels.size],
  ]);
  if (!hooksRegistered) {
    // Module-level hook lists are shared by every server in the process: look the registry up per client.
    hooksRegistered = true;
    disconnectHooks.push((c) => registries.get(c.server)?.forget(c));
    resetHooks.push((c) => registries.get(c.server)?.forget(c));
  }
}

function addInfo(server: Engine, section: string, fn: () => [string, string | number][]): void {
  let list = server.infoExtras.get(section);
  if (!list) server.infoExtras.set(section, (list = []));
  list.push(fn);
}
