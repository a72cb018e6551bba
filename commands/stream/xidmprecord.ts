/**
 * XIDMPRECORD key pid iid stream-id  (Redis 8.8; internal)
 *
 * Attaches an idempotency record (pid, iid) → stream-id to a stream. Redis
 * writes it in AOF rewrites to carry IDMP state across restarts; rivulet
 * also logs it after every IDMP XADD (which is written to the AOF with the
 * ID chosen, where IDMP itself is not allowed). OK when the pair already maps
 * to the same ID. The record's clock starts when it is replayed, so a
 * reloaded iid is kept at least its duration (never forgotten early).
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, singleKey } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { strictIdArg } from './args.js';
import { compareIds } from '../../lib/stream/id.js';
import { IdmpState } from '../../lib/stream/idmp.js';
import { getStreamForWrite, idmpLimits } from './lookup.js';

const XIDMPRECORD = Buffer.from('XIDMPRECORD');

/** The command that records (pid, iid) → id on replay. */
export function xidmprecordArgv(keyArg: Buffer, pid: Buffer, iid: string, idText: string): Buffer[] {
  return [XIDMPRECORD, keyArg, pid, Buffer.from(iid, 'latin1'), Buffer.from(idText, 'latin1')];
}

export const xidmprecord: CommandSpec = {
  name: 'xidmprecord',
  arity: 5,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RW', 'update'])],
  summary: 'An internal command for setting IDMP metadata on an existing stream message.',
  since: '8.8.0',
  group: 'stream',
  complexity: 'O(1)',
  arguments: [key('key'), arg('pid', 'string'), arg('iid', 'string'), arg('stream-id', 'string')],
  handler(c, argv) {
    // Redis's xidmprecordCommand order: the ID, the pid and iid, then the key and the entry.
    const id = strictIdArg(argv[4]);
    if (argv[2].length === 0) throw E.XIDMPRECORD_EMPTY_PID;
    if (argv[3].length === 0) throw E.XIDMPRECORD_EMPTY_IID;
    const k = keyOf(argv[1]);
    const s = getStreamForWrite(c, k);
    if (s === null) throw E.NO_SUCH_KEY;
    if (!s.log.has(id)) throw E.XIDMPRECORD_NO_ENTRY;
    const pid = argv[2].toString('latin1');
    const iid = argv[3].toString('latin1');
    const now = Date.now();
    const lim = idmpLimits(c, s);
    const rec = s.idmp?.lookup(pid, iid, now, lim.durationMs);
    if (rec !== undefined) {
      if (compareIds(rec.id, id) !== 0) throw E.XIDMPRECORD_CONFLICT;
      c.reply.ok();
      return;
    }
    (s.idmp ??= new IdmpState()).record(pid, iid, id, now, lim.durationMs, lim.maxSize);
    c.server.dirty++;
    c.reply.ok();
  },
};
