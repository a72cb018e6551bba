/**
 * XADD key [NOMKSTREAM] [KEEPREF|DELREF|ACKED] [IDMPAUTO pid | IDMP pid iid] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, token, oneof, block } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { parseAddTrimArgs, rewriteForPropagation } from './args.js';
import { TrimStrategy } from '../../lib/stream/stream.js';
import { formatId, isZeroId } from '../../lib/stream/id.js';
import { Stream } from '../../lib/stream/stream.js';
import { chunkLimits, getOrCreateStream, getStreamForWrite, idmpLimits } from './lookup.js';
import { IdmpState, autoIid } from '../../lib/stream/idmp.js';
import { writeId } from './reply.js';
import { xidmprecordArgv } from './xidmprecord.js';
import { trimArguments } from './xtrim.js';
import { refPolicyArgument } from './refpolicy.js';
import { packedOf } from '../../lib/resp/packed.js';

/** Redis refuses an entry whose fields and values total more than this (STREAM_LISTPACK_MAX_SIZE). */
const MAX_ENTRY_BYTES = 2 ** 30;

export const xadd: CommandSpec = {
  name: 'xadd',
  arity: -5,
  flags: ['write', 'denyoom', 'fast'],
  acl: ['write', 'stream', 'fast'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [
    {
      flags: ['RW', 'update'],
      notes: 'UPDATE instead of INSERT because of the optional trimming feature',
      beginSearch: { index: 1 },
      findKeys: { lastKey: 0, keyStep: 1, limit: 0 },
    },
  ],
  tips: ['nondeterministic_output'],
  summary: 'Appends a new entry to a stream',
  since: '5.0.0',
  group: 'stream',
  complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
  history: [
    ['6.2.0', 'Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option.'],
    ['7.0.0', 'Added support for the `<ms>-*` explicit ID form.'],
    ['8.2.0', 'Added the `KEEPREF`, `DELREF` and `ACKED` options.'],
    ['8.6.0', 'Added the `IDMPAUTO` and `IDMP` options.'],
  ],
  arguments: [
    key('key'),
    token('NOMKSTREAM', { name: 'nomkstream', since: '6.2.0', optional: true }),
    refPolicyArgument({ since: '8.2.0' }),
    oneof(
      'idmp',
      [
        block('idmpauto-with-pid', [token('IDMPAUTO', { name: 'idmpauto-token' }), arg('pid', 'string', { display: 'producer-id' })]),
        block('idmp-with-pid-iid', [
          token('IDMP', { name: 'idmp-token' }),
          arg('pid', 'string', { display: 'producer-id' }),
          arg('iid', 'string', { display: 'idempotent-id' }),
        ]),
      ],
      { optional: true, since: '8.6.0' },
    ),
    block('trim', trimArguments, { optional: true }),
    oneof('id_or_auto', [token('*', { name: 'auto_id' }), arg('id', 'string')]),
    block('field_value', [arg('field', 'string'), arg('value', 'string')], { multiple: true }),
  ],
  handler(c, argv) {
    const a = parseAddTrimArgs(argv, true, c.server.config.int('stream-node-max-entries'), c.server.loading);
    const fieldsAt = a.idIndex + 1;
    const nFields = argv.length - fieldsAt;
    if (nFields < 2 || nFields % 2 === 1) throw E.wrongArity('xadd');
    // Checked before the key is looked up, so 0-0 never leaves an empty stream behind.
    if (a.idGiven && a.seqGiven && isZeroId(a.id)) throw E.XADD_ID_ZERO;

    const k = keyOf(argv[1]);
    const existing = getStreamForWrite(c, k);
    if (existing === null && a.noMkStream) {
      c.reply.nullBulk();
      return;
    }
    // IDMP/IDMPAUTO (Redis 8.6): a (pid, iid) recorded within the duration answers the original ID and adds nothing.
    let pid: string | null = null;
    let iid: string | null = null;
    if (a.idmpPid !== null) {
      pid = a.idmpPid.toString('latin1');
      iid = a.idmpIid !== null ? a.idmpIid.toString('latin1') : autoIid(argv.slice(fieldsAt));
      const rec = existing?.idmp?.lookup(pid, iid, Date.now(), idmpLimits(c, existing).durationMs);
      if (rec !== undefined) {
        existing!.idmp!.iidsDuplicates++;
        c.reply.bulkLatin1(formatId(rec.id));
        return;
      }
    }
    if (existing !== null && existing.exhausted) throw E.STREAM_EXHAUSTED;
    const id = (existing ?? EMPTY).nextAddId(a.idGiven ? a : null, Date.now());
    // A request with very many arguments arrives packed (lib/resp/packed.ts): its fields go into the log from there,
    // with no object per field.
    const packed = packedOf(argv);
    let bytes = 0;
    if (packed !== null) bytes = packed.ends[argv.length - 1] - packed.ends[fieldsAt - 1];
    else for (let i = fieldsAt; i < argv.length; i++) bytes += argv[i].length;
    if (bytes > MAX_ENTRY_BYTES) throw E.STREAM_ELEMENTS_TOO_LARGE;

    // Validated: from here on nothing fails.
    const s = existing ?? getOrCreateStream(c, k).stream;
    if (packed !== null) s.appendPacked(id, { buf: packed.buf, ends: packed.ends, from: fieldsAt, count: nFields }, chunkLimits(c));
    else s.append(id, argv.slice(fieldsAt), chunkLimits(c));
    if (pid !== null) {
      const lim = idmpLimits(c, s);
      const idmp = (s.idmp ??= new IdmpState());
      idmp.record(pid, iid!, id, Date.now(), lim.durationMs, lim.maxSize);
      idmp.iidsAdded++;
    }
    writeId(c, id);
    c.server.notify('t', 'xadd', k, c.db.id);
    c.server.dirty++;

    let threshold: string | null = null;
    if (a.strategy !== TrimStrategy.None) {
      if (s.trim(a) > 0) c.server.notify('t', 'xtrim', k, c.db.id);
      // A `~` trim depends on chunk boundaries: log it as the exact trim it turned out to be.
      if (a.approx && c.server.propagating) threshold = s.achievedThreshold(a);
    }
    if (existing !== null) c.db.touch(k);
    if (!c.server.propagating) return;
    // `*` and `ms-*` are logged as the ID chosen, so a replay adds the same entry.
    const idText = formatId(id);
    const chosenId = !a.idGiven || !a.seqGiven ? idText : null;
    if (threshold !== null || chosenId !== null) {
      const logged = rewriteForPropagation(argv, a, threshold, chosenId);
      // The tracking is logged as XIDMPRECORD (what Redis's AOF rewrite writes); skipped if the entry trimmed itself away.
      if (pid !== null && s.log.has(id)) c.server.propagateAs(logged, xidmprecordArgv(argv[1], a.idmpPid!, iid!, idText));
      else c.server.propagateAs(logged);
    }
  },
};

/** A stream nothing was added to: the ID rules of a key that does not exist yet. */
const EMPTY = new Stream();
