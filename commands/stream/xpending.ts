/**
 * XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
 *
 * Summary form: [pending count, smallest ID, greatest ID, [[consumer,
 * count-as-bulk-string], ...]] (nils when nothing is pending). Extended form:
 * up to `count` entries of the group PEL, or of one consumer's, within
 * [start, end] ('(' exclusive bounds), each [id, consumer, idle ms,
 * deliveries]; IDLE filters on idle time. Arguments are parsed before the key
 * is looked up, as in Redis, so syntax errors win over NOGROUP.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block, key, singleKey } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type StreamId, compareIds } from '../../lib/stream/id.js';
import { getStream } from './lookup.js';
import { rangeEndArg, rangeStartArg } from './args.js';
import { writeId } from './reply.js';
import { type PelIndex, deliveryCountReply } from '../../lib/stream/group.js';

function int64(b: Buffer): number {
  const v = parseInt64(b);
  if (v === null) throw E.NOT_INTEGER;
  return typeof v === 'bigint' ? (v > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER) : v;
}

export const xpending: CommandSpec = {
  name: 'xpending',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  keySpecs: [singleKey(1, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  summary:
    'Returns the information and entries from a stream consumer group\'s pending entries list.',
  since: '5.0.0',
  group: 'stream',
  complexity:
    'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
  history: [['6.2.0', 'Added the `IDLE` option and exclusive range intervals.']],
  arguments: [
    key('key'),
    arg('group', 'string'),
    block(
      'filters',
      [
        arg('min-idle-time', 'integer', { token: 'IDLE', since: '6.2.0', optional: true }),
        arg('start', 'string'),
        arg('end', 'string'),
        arg('count', 'integer'),
        arg('consumer', 'string', { optional: true }),
      ],
      { optional: true },
    ),
  ],
  handler(c, argv) {
    const argc = argv.length;
    if (argc !== 3 && (argc < 6 || argc > 9)) throw E.SYNTAX;
    let start: StreamId | null = null;
    let end: StreamId | null = null;
    let count = 0;
    let minIdle = 0;
    let consumerArg: Buffer | null = null;
    if (argc >= 6) {
      let i = 3;
      if (isWord(argv[3], 'idle')) {
        minIdle = int64(argv[4]);
        if (argc < 8) throw E.SYNTAX;
        i += 2;
      }
      count = int64(argv[i + 2]);
      if (count < 0) count = 0;
      start = rangeStartArg(argv[i]);
      end = rangeEndArg(argv[i + 1]);
      if (i + 3 < argc) consumerArg = argv[i + 3];
    }
    const st = getStream(c, keyOf(argv[1]));
    const groupName = argv[2].toString('latin1');
    const g = st?.groups.get(groupName);
    if (g === undefined) throw E.noGroup(keyOf(argv[1]), groupName);

    if (start === null || end === null) {
      c.reply.array(4);
      c.reply.int(g.pel.size);
      if (g.pel.size === 0) {
        c.reply.nullBulk();
        c.reply.nullBulk();
        c.reply.nullArray();
        return;
      }
      writeId(c, g.pel.first()!.id);
      writeId(c, g.pel.last()!.id);
      const owners = g.sortedConsumers().filter((x) => x.pel.size > 0);
      c.reply.array(owners.length);
      for (const o of owners) {
        c.reply.array(2);
        c.reply.bulkLatin1(o.name);
        c.reply.bulk(String(o.pel.size));
      }
      return;
    }
    let pel: PelIndex = g.pel;
    if (consumerArg !== null) {
      const consumer = g.getConsumer(consumerArg.toString('latin1'));
      if (consumer === undefined) {
        c.reply.array(0);
        return;
      }
      pel = consumer.pel;
    }
    const now = Date.now();
    const rows = [];
    const cur = pel.seek(start);
    for (let pe = cur.next(); count > 0 && pe !== null && compareIds(pe.id, end) <= 0; pe = cur.next()) {
      if (minIdle > 0 && now - pe.deliveryTime < minIdle) continue;
      rows.push(pe);
      count--;
    }
    c.reply.array(rows.length);
    for (const pe of rows) {
      c.reply.array(4);
      writeId(c, pe.id);
      c.reply.bulkLatin1(pe.consumer.name);
      // Released by XNACK: no owner and no delivery time — idle -1, as Redis 8.8.
      c.reply.int(pe.consumer === g.unowned ? -1 : Math.max(0, now - pe.deliveryTime));
      c.reply.int(deliveryCountReply(pe.deliveryCount));
    }
  },
};
