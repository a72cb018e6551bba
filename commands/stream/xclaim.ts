/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms]
 *        [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
 *
 * Transfers pending entries to `consumer` (created on demand). As in Redis:
 * IDs are read up to the first argument that is not an ID, the rest are
 * options; a pending entry whose stream entry was deleted is removed from the
 * PEL and not returned (7.0); FORCE creates missing PEL entries for existing
 * stream entries; JUSTID returns IDs and does not bump the delivery count.
 *
 * Propagation: never the command itself. Each claimed (or cleaned-up) entry
 * is logged as an idempotent `XCLAIM ... TIME RETRYCOUNT FORCE JUSTID LASTID`,
 * and a LASTID that moved the group with nothing claimed as `XGROUP SETID`.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey, token } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64, word } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type StreamId, MIN_ID, compareIds } from '../../lib/stream/id.js';
import { getStream } from './lookup.js';
import { parseStreamId, strictIdArg } from './args.js';
import { writeEntry, writeId } from './reply.js';
import { type PendingEntry, ClaimCount } from '../../lib/stream/group.js';
import { xclaimPropagation, setidPropagation, createConsumerPropagation } from './propagate.js';

/** A 64-bit integer option as Redis's getLongLongFromObjectOrReply reads it, with a custom error. */
function longArg(b: Buffer, err: E.ReplyError): number {
  const v = parseInt64(b);
  if (v === null) throw err;
  // Beyond 2^53 only matters for absurd times/counts: clamp to stay a number.
  return typeof v === 'bigint' ? (v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : v;
}

/** A 64-bit integer argument kept exact (number, or bigint beyond 2^53): delivery counts. */
function exactLongArg(b: Buffer, err: E.ReplyError): number | bigint {
  const v = parseInt64(b);
  if (v === null) throw err;
  return v;
}

export { longArg };

export const xclaim: CommandSpec = {
  name: 'xclaim',
  arity: -6,
  flags: ['write', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update'])],
  tips: ['nondeterministic_output'],
  summary:
    'Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
  arguments: [
    key('key'),
    arg('group', 'string'),
    arg('consumer', 'string'),
    arg('min-idle-time', 'string'),
    arg('id', 'string', { multiple: true }),
    arg('ms', 'integer', { token: 'IDLE', optional: true }),
    arg('unix-time-milliseconds', 'unix-time', { token: 'TIME', optional: true }),
    arg('count', 'integer', { token: 'RETRYCOUNT', optional: true }),
    token('FORCE', { optional: true }),
    token('JUSTID', { optional: true }),
    arg('lastid', 'string', { token: 'LASTID', optional: true }),
  ],
  handler(c, argv) {
    const s = getStream(c, keyOf(argv[1]));
    const groupName = argv[2].toString('latin1');
    const g = s?.groups.get(groupName);
    if (s === null || g === undefined) throw E.noGroup(keyOf(argv[1]), groupName);
    let minIdle = longArg(argv[4], E.XCLAIM_MIN_IDLE);
    if (minIdle < 0) minIdle = 0;

    // IDs run until the first argument that does not parse as one.
    let j = 5;
    const ids: StreamId[] = [];
    for (; j < argv.length; j++) {
      const p = parseStreamId(argv[j], 0, true, false);
      if (p === null) break;
      ids.push(p.id);
    }
    const now = Date.now();
    let retryCount: number | bigint = -1;
    let deliveryTime = -1;
    let force = false;
    let justId = false;
    let lastId: StreamId = MIN_ID;
    for (; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = word(argv[j]);
      if (opt === 'force') force = true;
      else if (opt === 'justid') justId = true;
      else if (opt === 'idle' && more) deliveryTime = now - longArg(argv[++j], E.XCLAIM_IDLE);
      else if (opt === 'time' && more) deliveryTime = longArg(argv[++j], E.XCLAIM_TIME);
      else if (opt === 'retrycount' && more) retryCount = exactLongArg(argv[++j], E.XCLAIM_RETRYCOUNT);
      else if (opt === 'lastid' && more) lastId = strictIdArg(argv[++j]);
      else throw E.xclaimUnknownOption(argv[j].toString('latin1'));
    }
    // Validation is over: from here on the command changes things.
    c.server.suppressPropagation();
    let propagateLastId = false;
    if (compareIds(lastId, g.lastId) > 0) {
      g.lastId = lastId;
      propagateLastId = true;
    }
    // A bogus delivery time (negative, or in the future) is taken as now rather than refused.
    if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

    const k = keyOf(argv[1]);
    const { consumer, created: createdConsumer } = g.openConsumer(argv[3].toString('latin1'), now);
    if (createdConsumer) {
      c.server.dirty++;
      c.server.notify('t', 'xgroup-createconsumer', k, c.db.id);
    }

    const claimed: PendingEntry[] = [];
    const claimedFields: (Buffer[] | null)[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      let pe = g.pel.get(id);
      const fields = s.log.get(id);
      if (fields === null) {
        // The entry is gone from the stream: drop it from the PEL, and log that.
        if (pe !== undefined) {
          c.server.propagateAs(xclaimPropagation(argv[1], argv[2], argv[5 + i], pe, g));
          propagateLastId = false;
          c.server.dirty++;
          g.deletePending(id);
        }
        continue;
      }
      if (pe === undefined) {
        if (!force) continue;
        pe = g.forcePending(id, consumer, now);
      } else if (minIdle > 0 && now - pe.deliveryTime < minIdle) continue;
      g.claim(pe, consumer, deliveryTime, now, justId ? ClaimCount.Keep : ClaimCount.Bump, retryCount);
      claimed.push(pe);
      claimedFields.push(justId ? null : fields);
      c.server.propagateAs(xclaimPropagation(argv[1], argv[2], argv[5 + i], pe, g));
      propagateLastId = false;
      c.server.dirty++;
    }
    if (propagateLastId) {
      c.server.propagateAs(setidPropagation(argv[1], argv[2], g));
      c.server.dirty++;
    }
    // A consumer created by a claim that claimed nothing is logged on its own (Redis loses it at restart).
    if (createdConsumer && claimed.length === 0) c.server.propagateAs(createConsumerPropagation(argv[1], argv[2], consumer));
    c.reply.array(claimed.length);
    for (let i = 0; i < claimed.length; i++) {
      const f = claimedFields[i];
      if (f === null) writeId(c, claimed[i].id);
      else writeEntry(c, claimed[i].id, f);
    }
  },
};
