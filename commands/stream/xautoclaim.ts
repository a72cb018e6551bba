/**
 * XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
 *
 * Scans the group PEL from `start` and claims up to COUNT entries idle for at
 * least min-idle-time, examining at most COUNT*10 entries, like Redis. The
 * reply is [next cursor (0-0 when the scan is complete), claimed entries or
 * IDs, IDs of pending entries whose stream entry was deleted — those are
 * removed from the PEL (7.0)]. Each change is propagated as an idempotent
 * XCLAIM, never as the XAUTOCLAIM itself.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type StreamId, formatId } from '../../lib/stream/id.js';
import { getStream } from './lookup.js';
import { rangeStartArg } from './args.js';
import { writeEntry, writeId } from './reply.js';
import { type PendingEntry, ClaimCount } from '../../lib/stream/group.js';
import { xclaimPropagation, streamIdBuffer, createConsumerPropagation } from './propagate.js';
import { longArg } from './xclaim.js';

/** Examined entries per requested one (Redis's attempts_factor). */
const ATTEMPTS_FACTOR = 10;
/** Redis's bound: LONG_MAX / max(sizeof(streamID), attempts_factor). */
const MAX_COUNT = 9223372036854775807n / 16n;

export const xautoclaim: CommandSpec = {
  name: 'xautoclaim',
  arity: -6,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'delete'])],
  tips: ['nondeterministic_output'],
  summary:
    'Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.',
  since: '6.2.0',
  group: 'stream',
  complexity: 'O(1) if COUNT is small.',
  history: [['7.0.0', 'Added an element to the reply array, containing deleted entries the command cleared from the PEL']],
  arguments: [
    key('key'),
    arg('group', 'string'),
    arg('consumer', 'string'),
    arg('min-idle-time', 'string'),
    arg('start', 'string'),
    arg('count', 'integer', { token: 'COUNT', optional: true }),
    token('JUSTID', { optional: true }),
  ],
  handler(c, argv) {
    // Syntax first, as Redis does, so argument errors win over NOGROUP.
    let minIdle = longArg(argv[4], E.XAUTOCLAIM_MIN_IDLE);
    if (minIdle < 0) minIdle = 0;
    const from = rangeStartArg(argv[5]);
    let count = 100;
    let justId = false;
    for (let j = 6; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      if (isWord(argv[j], 'count') && more) {
        const v = parseInt64(argv[j + 1]);
        if (v === null || v < 1 || BigInt(v) > MAX_COUNT) throw E.XAUTOCLAIM_COUNT;
        // Counts past what any PEL holds behave alike; keep them a plain number.
        count = typeof v === 'bigint' ? Number.MAX_SAFE_INTEGER : v;
        j++;
      } else if (isWord(argv[j], 'justid')) justId = true;
      else throw E.SYNTAX;
    }
    const s = getStream(c, keyOf(argv[1]));
    const groupName = argv[2].toString('latin1');
    const g = s?.groups.get(groupName);
    if (s === null || g === undefined) throw E.noGroup(keyOf(argv[1]), groupName);

    c.server.suppressPropagation();
    const now = Date.now();
    const k = keyOf(argv[1]);
    const { consumer, created: createdConsumer } = g.openConsumer(argv[3].toString('latin1'), now);
    if (createdConsumer) {
      c.server.dirty++;
      c.server.notify('t', 'xgroup-createconsumer', k, c.db.id);
    }

    let attempts = count * ATTEMPTS_FACTOR;
    const claimed: PendingEntry[] = [];
    const claimedFields: Buffer[][] = [];
    const deleted: StreamId[] = [];
    let cur = g.pel.seek(from);
    while (attempts-- > 0 && count > 0) {
      const pe = cur.next();
      if (pe === null) break;
      const fields = s.log.get(pe.id);
      if (fields === null) {
        // Gone from the stream: clean the PEL up, report the ID, count it against COUNT.
        c.server.propagateAs(xclaimPropagation(argv[1], argv[2], streamIdBuffer(pe.id), pe, g));
        c.server.dirty++;
        g.deletePending(pe.id);
        deleted.push(pe.id);
        cur = g.pel.seek(pe.id);
        count--;
        continue;
      }
      if (minIdle > 0 && now - pe.deliveryTime < minIdle) continue;
      g.claim(pe, consumer, now, now, justId ? ClaimCount.Keep : ClaimCount.Bump);
      claimed.push(pe);
      claimedFields.push(fields);
      count--;
      c.server.propagateAs(xclaimPropagation(argv[1], argv[2], streamIdBuffer(pe.id), pe, g));
      c.server.dirty++;
    }
    // A consumer created by a claim that claimed nothing is logged on its own (Redis loses it at restart).
    if (createdConsumer && claimed.length === 0) c.server.propagateAs(createConsumerPropagation(argv[1], argv[2], consumer));
    // The cursor for the next call: the first entry not examined, 0-0 at the end.
    const next = cur.peek();
    c.reply.array(3);
    c.reply.bulkLatin1(next === null ? '0-0' : formatId(next.id));
    c.reply.array(claimed.length);
    for (let i = 0; i < claimed.length; i++) {
      if (justId) writeId(c, claimed[i].id);
      else writeEntry(c, claimed[i].id, claimedFields[i]);
    }
    c.reply.array(deleted.length);
    for (const id of deleted) writeId(c, id);
  },
};
