/**
 * The deterministic commands Redis logs (AOF, replicas) for consumer-group
 * changes that the command as sent would not reproduce: the XCLAIM that
 * recreates a pending entry as it is now, the XGROUP SETID of a group's
 * position, the XGROUP CREATECONSUMER of a consumer created by a read.
 * Built only when something consumes them (see each caller's `prop`).
 */
import { type StreamId } from '../../lib/stream/id.js';
import { type PendingEntry, type ConsumerGroup, type Consumer, deliveryCountReply } from '../../lib/stream/group.js';

const XCLAIM_ARG = Buffer.from('XCLAIM');
const XGROUP_ARG = Buffer.from('XGROUP');
const SETID_ARG = Buffer.from('SETID');
const CREATECONSUMER_ARG = Buffer.from('CREATECONSUMER');
const ENTRIESREAD_ARG = Buffer.from('ENTRIESREAD');
const ZERO_ARG = Buffer.from('0');
const TIME_ARG = Buffer.from('TIME');
const RETRYCOUNT_ARG = Buffer.from('RETRYCOUNT');
const FORCE_ARG = Buffer.from('FORCE');
const JUSTID_ARG = Buffer.from('JUSTID');
const LASTID_ARG = Buffer.from('LASTID');

const idBuf = (id: StreamId): Buffer => Buffer.from(`${id.ms}-${id.seq}`);

/**
 * `XCLAIM key group consumer 0 id TIME <ms> RETRYCOUNT <n> FORCE JUSTID LASTID <group last id>`:
 * idempotent on replay, it recreates (or, when the entry no longer exists,
 * removes) the pending entry exactly as it is now. `idArg` is the ID as
 * Redis writes it (XCLAIM keeps the client's spelling, the others format it).
 */
export function xclaimPropagation(keyArg: Buffer, groupArg: Buffer, idArg: Buffer, pe: PendingEntry, g: ConsumerGroup): Buffer[] {
  return [
    XCLAIM_ARG,
    keyArg,
    groupArg,
    Buffer.from(pe.consumer.name, 'latin1'),
    ZERO_ARG,
    idArg,
    TIME_ARG,
    Buffer.from(String(pe.deliveryTime)),
    RETRYCOUNT_ARG,
    Buffer.from(String(deliveryCountReply(pe.deliveryCount))),
    FORCE_ARG,
    JUSTID_ARG,
    LASTID_ARG,
    idBuf(g.lastId),
  ];
}

/** `XGROUP SETID key group <last id> ENTRIESREAD <n>`: the group's position and read counter. */
export function setidPropagation(keyArg: Buffer, groupArg: Buffer, g: ConsumerGroup): Buffer[] {
  return [XGROUP_ARG, SETID_ARG, keyArg, groupArg, idBuf(g.lastId), ENTRIESREAD_ARG, Buffer.from(String(g.entriesRead))];
}

/** `XGROUP CREATECONSUMER key group consumer` (XREADGROUP NOACK creating a consumer). */
export function createConsumerPropagation(keyArg: Buffer, groupArg: Buffer, consumer: Consumer): Buffer[] {
  return [XGROUP_ARG, CREATECONSUMER_ARG, keyArg, groupArg, Buffer.from(consumer.name, 'latin1')];
}

export { idBuf as streamIdBuffer };
