/**
 * XREADGROUP GROUP group consumer [COUNT n] [MAXCOUNT n] [MAXSIZE bytes] [BLOCK ms] [CLAIM min-idle-time] [NOACK] STREAMS key... id...
 *
 * MAXCOUNT/MAXSIZE (Redis 8.10) cap the whole reply (commands/stream/budget.ts):
 * entries left out are not delivered (no PEL entry, the group does not move).
 *
 * Per stream: `>` delivers entries above the group's last-delivered ID
 * (moving it, updating entries-read, and — unless NOACK — adding each entry
 * to the PEL, owned by this consumer); an explicit ID replays the consumer's
 * own pending entries above it (deleted ones come back as [id, nil]), bumping
 * their delivery counts. The consumer is created on demand; seen-time is set
 * on every call, active-time when something is delivered.
 *
 * Blocking (only `>` can block; inside MULTI/EXEC it answers at once): every
 * signal on a key re-runs the read, as Redis 7.2+ re-executes the command. A
 * deleted stream releases the client with "UNBLOCKED the stream key no longer
 * exists"; a destroyed group with the re-run's NOGROUP error.
 *
 * CLAIM min-idle-time (Redis 8.4), with `>` only: first the group's pending
 * entries idle at least that long (longest idle first — XNACKed ones, whose
 * delivery time is 0, lead), claimed for this consumer, then new entries;
 * COUNT covers both. Every entry of such a stream's reply is
 * [id, fields, idle ms, previous deliveries] (new entries: 0, 0). While
 * blocked, a timer re-runs the read when the next pending entry becomes idle
 * enough.
 *
 * Propagation, as Redis 7.4: never the command; per delivered entry an
 * idempotent `XCLAIM ... TIME RETRYCOUNT FORCE JUSTID LASTID`, then
 * `XGROUP SETID key group <last id> ENTRIESREAD <n>` when the group moved;
 * with NOACK a new consumer is logged as `XGROUP CREATECONSUMER`. Beyond
 * Redis (which loses both at a restart): a history read logs the XCLAIM of
 * each re-delivered entry (its raised delivery count), and a consumer created
 * by a read that delivered it nothing is logged as `XGROUP CREATECONSUMER`.
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import type { BlockState } from '../../lib/engine/blocking.js';
import { arg, block, key, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type ReadArgs, parseReadArgs, readIdArg } from './args.js';
import { type StreamId, MAX_ID, compareIds, idEquals, nextId } from '../../lib/stream/id.js';
import { writeEntry, writeId, writeRange, beginStreamsReply, streamsReplyKey } from './reply.js';
import { ReadBudget, entryReplyBytes } from './budget.js';
import { type Stream } from '../../lib/stream/stream.js';
import { getStream } from './lookup.js';
import { type ConsumerGroup, type Consumer, type PendingEntry, ClaimCount, deliveryCountReply } from '../../lib/stream/group.js';
import { createConsumerPropagation, setidPropagation, streamIdBuffer, xclaimPropagation } from './propagate.js';
import { advanceEntriesRead, firstEntryId } from '../../lib/stream/lag.js';

/** `>` or "entries above this ID from my PEL". */
type GroupReadId = '>' | StreamId;

/** What one stream contributes to the reply: entries, `null` fields for deleted pending ones. */
interface Served {
  index: number;
  ids: StreamId[];
  fields: (Buffer[] | null)[];
  /** CLAIM replies: idle ms and previous delivery count per entry (pairs, parallel to ids); null otherwise. */
  meta: (number | bigint)[] | null;
}

interface ReadRequest {
  r: ReadArgs;
  keyArgs: Buffer[];
  keys: string[];
  ids: GroupReadId[];
  groupName: string;
  consumerName: string;
}

/** The group of every key, in order, or the first error Redis would give (WRONGTYPE, NOGROUP). */
function resolveGroups(c: Session, req: ReadRequest): { streams: Stream[]; groups: ConsumerGroup[] } {
  const n = req.keys.length;
  const streams = new Array<Stream>(n);
  const groups = new Array<ConsumerGroup>(n);
  for (let i = 0; i < n; i++) {
    const s = getStream(c, req.keys[i]);
    const g = s?.groups.get(req.groupName);
    if (s === null || g === undefined) throw E.noGroupXreadgroup(req.keys[i], req.groupName);
    streams[i] = s;
    groups[i] = g;
  }
  return { streams, groups };
}

/**
 * One attempt: serves every stream that has something, writing the reply,
 * and returns true; returns false (nothing written) when no stream had
 * anything. Group changes are applied; the commands to propagate are pushed
 * onto `prop`.
 */
function attempt(c: Session, req: ReadRequest, streams: Stream[], groups: ConsumerGroup[], prop: Buffer[][] | null): boolean {
  const { r } = req;
  if (streams.length === 1 && req.ids[0] === '>' && r.claimMinIdle < 0 && r.maxCount === 0 && r.maxSize === 0) return attemptOneNew(c, req, streams[0], groups[0], prop);
  const now = Date.now();
  const server = c.server;
  const { keyArgs } = req;
  const groupArg = r.group!;
  const served: Served[] = [];
  // MAXCOUNT/MAXSIZE (Redis 8.10): one budget across the streams, served in order.
  const budget = new ReadBudget(r.maxCount, r.maxSize);
  // A consumer this read creates is logged as XGROUP CREATECONSUMER unless an XCLAIM naming it follows
  // (a read that delivered nothing would otherwise lose it at restart; Redis loses it). Index in prop, or -1.
  let createdAt = -1;
  const settleCreated = (): void => {
    if (createdAt >= 0 && prop !== null && prop.length > createdAt + 1) prop.splice(createdAt, 1);
    createdAt = -1;
  };
  for (let i = 0; i < streams.length; i++) {
    settleCreated();
    const s = streams[i];
    const g = groups[i];
    const id = req.ids[i];
    let from: StreamId | null = null;
    let history = false;
    if (id !== '>') {
      // An explicit ID always answers at once, from this consumer's own history.
      history = true;
      from = nextId(id);
    } else if (s.length > 0 && compareIds(s.lastEntryId()!, g.lastId) > 0) {
      from = nextId(g.lastId);
    }
    const opened = openReader(c, req, i, g, prop, now);
    const consumer = opened.consumer;
    createdAt = opened.createdAt;
    if (budget.spent) continue;
    // Entries this stream may contribute: its COUNT within what MAXCOUNT leaves (0 = no limit).
    const limit = budget.perStream(r.count);
    const claiming = !history && r.claimMinIdle >= 0;
    const out: Served = { index: i, ids: [], fields: [], meta: claiming ? [] : null };
    if (claiming && claimIdle(s, g, consumer, r.claimMinIdle, limit, budget, now, keyArgs[i], groupArg, prop, out) > 0) server.dirty++;
    if (from === null || (limit > 0 && out.ids.length >= limit) || budget.spent) {
      if (out.ids.length > 0) served.push(out);
      continue;
    }
    if (history) {
      if (readHistory(s, g, consumer, from, limit, budget, now, keyArgs[i], groupArg, prop, out) > 0) server.dirty++;
    }
    else if (deliverNew(s, g, consumer, from, r.noAck, limit, budget, now, keyArgs[i], groupArg, prop, out) > 0) server.dirty++;
    // A history read always answers for its stream (even empty); `>` only with entries when a budget cut it short.
    if (history || out.ids.length > 0 || budget.unlimited) served.push(out);
  }
  settleCreated();
  if (served.length === 0) return false;
  const reply = c.reply;
  const resp3 = beginStreamsReply(c, served.length);
  for (const sv of served) {
    streamsReplyKey(c, resp3, keyArgs[sv.index]);
    reply.array(sv.ids.length);
    const meta = sv.meta;
    for (let k = 0; k < sv.ids.length; k++) {
      if (meta === null) {
        writeEntry(c, sv.ids[k], sv.fields[k]);
        continue;
      }
      // CLAIM: [id, fields, idle, deliveries]; entries past the claimed ones are new (0, 0).
      reply.array(4);
      writeId(c, sv.ids[k]);
      const f = sv.fields[k]!;
      reply.array(f.length);
      for (let j = 0; j < f.length; j++) reply.bulk(f[j]);
      const claimed = 2 * k < meta.length;
      reply.int(claimed ? meta[2 * k] : 0);
      reply.int(claimed ? deliveryCountReply(meta[2 * k + 1]) : 0);
    }
  }
  return true;
}

/**
 * CLAIM: claims for `consumer` the group's pending entries idle at least
 * r.claimMinIdle ms, longest idle first (released ones in release order, other ties by ID), at most r.count (0 =
 * all). Entries no longer in the stream are skipped (left pending). Records
 * each entry's idle time and previous delivery count in out.meta. Returns
 * how many commands it queued for propagation. O(PEL + k log k).
 */
function claimIdle(
  s: Stream,
  g: ConsumerGroup,
  consumer: Consumer,
  minIdle: number,
  /** At most this many (0 = all), and only what the MAXCOUNT/MAXSIZE budget admits. */
  limit: number,
  budget: ReadBudget,
  now: number,
  keyArg: Buffer,
  groupArg: Buffer,
  prop: Buffer[][] | null,
  out: Served,
): number {
  const idle: PendingEntry[] = [];
  const cur = g.pel.seek();
  for (let pe = cur.next(); pe !== null; pe = cur.next()) {
    if (now - pe.deliveryTime >= minIdle && s.log.has(pe.id)) idle.push(pe);
  }
  if (idle.length === 0) return 0;
  // Longest idle first; entries XNACK released (time 0) in release order; then by ID.
  idle.sort((a, b) => a.deliveryTime - b.deliveryTime || a.releaseSeq - b.releaseSeq || compareIds(a.id, b.id));
  const n = limit > 0 ? Math.min(limit, idle.length) : idle.length;
  let queued = 0;
  for (let k = 0; k < n; k++) {
    const pe = idle[k];
    const fields = s.log.get(pe.id);
    if (!budget.unlimited && !budget.admit(entryReplyBytes(pe.id, fields))) break;
    out.ids.push(pe.id);
    out.fields.push(fields);
    out.meta!.push(Math.max(0, now - pe.deliveryTime), pe.deliveryCount);
    g.claim(pe, consumer, now, now, ClaimCount.Bump);
    prop?.push(xclaimPropagation(keyArg, groupArg, streamIdBuffer(pe.id), pe, g));
    queued++;
  }
  return queued;
}

/**
 * When the next live pending entry of any of the request's groups becomes
 * idle enough for CLAIM (unix ms), or -1 when none is pending. O(PEL).
 */
function nextClaimableAt(req: ReadRequest, streams: Stream[], groups: ConsumerGroup[]): number {
  let at = -1;
  for (let i = 0; i < streams.length; i++) {
    if (req.ids[i] !== '>') continue;
    const cur = groups[i].pel.seek();
    for (let pe = cur.next(); pe !== null; pe = cur.next()) {
      if (!streams[i].log.has(pe.id)) continue;
      const t = pe.deliveryTime + req.r.claimMinIdle;
      if (at === -1 || t < at) at = t;
    }
  }
  return at;
}

/**
 * The consumer's pending entries with ID >= from (at most count, 0 = all);
 * each live one counts as a new delivery, logged (unlike Redis, which loses
 * the raised counts at restart) as the idempotent XCLAIM of its new state.
 * Returns how many were re-delivered.
 */
function readHistory(
  s: Stream,
  g: ConsumerGroup,
  consumer: Consumer,
  from: StreamId | null,
  count: number,
  budget: ReadBudget,
  now: number,
  keyArg: Buffer,
  groupArg: Buffer,
  prop: Buffer[][] | null,
  out: Served,
): number {
  if (from === null) return 0;
  let delivered = 0;
  const cur = consumer.pel.seek(from);
  for (let pe = cur.next(); pe !== null && (count === 0 || out.ids.length < count); pe = cur.next()) {
    const fields = s.log.get(pe.id);
    if (!budget.unlimited && !budget.admit(entryReplyBytes(pe.id, fields))) break;
    if (fields !== null) {
      g.redeliver(pe, now);
      prop?.push(xclaimPropagation(keyArg, groupArg, streamIdBuffer(pe.id), pe, g));
      delivered++;
    }
    out.ids.push(pe.id);
    out.fields.push(fields);
  }
  return delivered;
}

/**
 * Delivers entries from `from` up (at most r.count): moves the group, adds
 * PEL entries unless NOACK. Returns how many commands it queued for
 * propagation (Redis's propCount: the read dirties the dataset only then).
 */
function deliverNew(
  s: Stream,
  g: ConsumerGroup,
  consumer: Consumer,
  from: StreamId,
  noAck: boolean,
  /** Entries this stream may return in all, claimed ones included (0 = no limit). */
  limit: number,
  budget: ReadBudget,
  now: number,
  keyArg: Buffer,
  groupArg: Buffer,
  /** Where the effects to log go; null when nothing is logged (no AOF), so none are built. */
  prop: Buffer[][] | null,
  out: Served,
): number {
  // Entries already in `out` were claimed (CLAIM): COUNT covers them too.
  const start = out.ids.length;
  const unlimited = budget.unlimited;
  s.log.range(from, MAX_ID, false, limit > 0 ? limit - start : 0, (id, fields) => {
    if (!unlimited && !budget.admit(entryReplyBytes(id, fields))) return false;
    out.ids.push(id);
    out.fields.push(fields);
    return true;
  });
  return applyDeliveries(s, g, consumer, out.ids, start, noAck, now, keyArg, groupArg, prop);
}

/**
 * The group side of delivering ids[start..] (new entries, ascending): the
 * group's last ID and read counter move past them and, unless NOACK, each
 * becomes a first delivery to `consumer`, logged as an XCLAIM; a SETID
 * follows when the group moved. Returns how many commands it queued.
 */
function applyDeliveries(
  s: Stream,
  g: ConsumerGroup,
  consumer: Consumer,
  ids: StreamId[],
  start: number,
  noAck: boolean,
  now: number,
  keyArg: Buffer,
  groupArg: Buffer,
  prop: Buffer[][] | null,
): number {
  const first = firstEntryId(s);
  let queued = 0;
  let moved = false;
  for (let k = start; k < ids.length; k++) {
    const id = ids[k];
    if (compareIds(id, g.lastId) > 0) {
      advanceEntriesRead(s, g, id, first);
      g.lastId = id;
      moved = true;
    }
    if (noAck) continue;
    // A new pending entry (or one already pending after SETID moved the group back, handed over as a first delivery).
    const delivered = g.deliver(id, consumer, now);
    prop?.push(xclaimPropagation(keyArg, groupArg, streamIdBuffer(id), delivered, g));
    queued++;
  }
  if (moved) {
    prop?.push(setidPropagation(keyArg, groupArg, g));
    queued++;
  }
  return queued;
}

/**
 * attempt() for the common request — one stream, `>`, no CLAIM, MAXCOUNT or
 * MAXSIZE — writing the entries straight from the stream's chunks (no field
 * views, no second pass over them). Same effects, reply and propagation.
 */
function attemptOneNew(c: Session, req: ReadRequest, s: Stream, g: ConsumerGroup, prop: Buffer[][] | null): boolean {
  const now = Date.now();
  const { r, keyArgs } = req;
  const { consumer, createdAt } = openReader(c, req, 0, g, prop, now);
  if (s.length === 0 || compareIds(s.lastEntryId()!, g.lastId) <= 0) return false;
  streamsReplyKey(c, beginStreamsReply(c, 1), keyArgs[0]);
  const ids: StreamId[] = [];
  writeRange(c, s, nextId(g.lastId)!, MAX_ID, false, r.count, ids);
  if (applyDeliveries(s, g, consumer, ids, 0, r.noAck, now, keyArgs[0], r.group!, prop) > 0) c.server.dirty++;
  // The CREATECONSUMER is redundant when an XCLAIM names the consumer.
  if (createdAt >= 0 && prop !== null && prop.length > createdAt + 1) prop.splice(createdAt, 1);
  return true;
}

/**
 * The consumer a read acts as, created on demand (counted, notified and —
 * when logging — queued as XGROUP CREATECONSUMER). `createdAt` is the index
 * of that command in `prop` when a later XCLAIM naming the consumer would
 * make it redundant (not with NOACK), else -1.
 */
function openReader(c: Session, req: ReadRequest, i: number, g: ConsumerGroup, prop: Buffer[][] | null, now: number): { consumer: Consumer; createdAt: number } {
  const { consumer, created } = g.openConsumer(req.consumerName, now);
  let createdAt = -1;
  if (created) {
    c.server.dirty++;
    c.server.notify('t', 'xgroup-createconsumer', req.keys[i], c.db.id);
    if (prop !== null) {
      prop.push(createConsumerPropagation(req.keyArgs[i], req.r.group!, consumer));
      if (!req.r.noAck) createdAt = prop.length - 1;
    }
  }
  return { consumer, createdAt };
}

export const xreadgroup: CommandSpec = {
  name: 'xreadgroup',
  arity: -7,
  flags: ['write', 'blocking', 'movablekeys'],
  acl: ['write', 'stream', 'slow', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  keySpecs: [
    { flags: ['RO', 'access'], beginSearch: { keyword: 'STREAMS', startFrom: 4 }, findKeys: { lastKey: -1, keyStep: 1, limit: 2 } },
  ],
  summary:
    'Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
  history: [
    ['8.4.0', 'Added the `CLAIM` option.'],
    ['8.10.0', 'Added the `MAXCOUNT` and `MAXSIZE` options.'],
  ],
  arguments: [
    block('group-block', [arg('group', 'string'), arg('consumer', 'string')], { token: 'GROUP' }),
    arg('count', 'integer', { token: 'COUNT', optional: true }),
    arg('maxcount', 'integer', { token: 'MAXCOUNT', since: '8.10.0', optional: true }),
    arg('maxsize', 'integer', { token: 'MAXSIZE', since: '8.10.0', optional: true }),
    arg('milliseconds', 'integer', { token: 'BLOCK', optional: true }),
    arg('min-idle-time', 'integer', { token: 'CLAIM', since: '8.4.0', optional: true }),
    token('NOACK', { optional: true }),
    block('streams', [key('key', 0, { multiple: true }), arg('id', 'string', { multiple: true })], { token: 'STREAMS' }),
  ],
  handler(c, argv) {
    const r = parseReadArgs(argv, true, Date.now());
    const n = r.numStreams;
    const req: ReadRequest = {
      r,
      keyArgs: argv.slice(r.keysAt, r.keysAt + n),
      keys: new Array<string>(n),
      ids: new Array<GroupReadId>(n),
      groupName: r.group!.toString('latin1'),
      consumerName: r.consumer!.toString('latin1'),
    };
    // Per key, in Redis's order: type, group, then the ID.
    for (let i = 0; i < n; i++) {
      req.keys[i] = keyOf(req.keyArgs[i]);
      const s = getStream(c, req.keys[i]);
      if (s === null || !s.groups.has(req.groupName)) throw E.noGroupXreadgroup(req.keys[i], req.groupName);
      const id = readIdArg(argv[r.keysAt + n + i], true);
      // Redis marks `>` internally with the maximum ID, so that explicit ID means `>` too.
      req.ids[i] = id !== '>' && idEquals(id as StreamId, MAX_ID) ? '>' : (id as GroupReadId);
    }
    const { streams, groups } = resolveGroups(c, req);
    // The effects are propagated as XCLAIM/XGROUP commands, never as the read itself.
    c.server.suppressPropagation();
    const prop: Buffer[][] | null = c.server.propagating ? [] : null;
    const done = attempt(c, req, streams, groups, prop);
    if (prop !== null && prop.length > 0) c.server.propagateAs(...prop);
    if (done) return;
    if (r.blockUntil === -1 || !c.mayBlock) {
      c.reply.nullArray();
      return;
    }
    // Re-run when a key holds new entries, and also when it was deleted or changed type (Redis 7.2+):
    // the re-run then fails with the command's own error (NOGROUP, WRONGTYPE).
    c.block({ keys: req.keys, timeoutAt: r.blockUntil, type: 'stream', unblockOnNoKey: true });
    if (r.claimMinIdle >= 0) armClaimTimer(c, c.blocked!, req);
  },
};
/**
 * CLAIM's idle condition can become true while blocked (Redis 8.4 docs): wake
 * the client when the next pending entry becomes claimable, re-running the
 * read as a key signal would; re-armed after each attempt that served
 * nothing. The timer is unref'd and checks the client is still in this block.
 */
function armClaimTimer(c: Session, state: BlockState, req: ReadRequest): void {
  let at: number;
  try {
    const { streams, groups } = resolveGroups(c, req);
    at = nextClaimableAt(req, streams, groups);
  } catch {
    return; // a missing group or key: a key signal ends the block
  }
  // Other clients may add pending entries meanwhile without signalling the key: look again at least every min-idle ms.
  const now = Date.now();
  const rescan = now + Math.max(10, req.r.claimMinIdle);
  if (at === -1 || at > rescan) at = rescan;
  if (state.timeoutAt > 0 && at >= state.timeoutAt) return;
  const t = setTimeout(() => {
    if (c.blocked !== state) return;
    c.server.blocking.signal(state.db, req.keys[0]);
    c.server.blocking.serveReadyKeys();
    if (c.blocked === state) armClaimTimer(c, state, req);
  }, Math.max(1, at - now + 1));
  t.unref();
}

