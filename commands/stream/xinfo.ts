/**
 * XINFO STREAM key [FULL [COUNT n]] | GROUPS key | CONSUMERS key group | HELP
 *
 * Redis 7.4 replies (maps in RESP3, flat arrays in RESP2):
 * - STREAM: 7.0's max-deleted-entry-id, entries-added, recorded-first-entry-id;
 *   FULL adds per group entries-read and lag, and per consumer (7.2+)
 *   seen-time (last attempted interaction) and active-time (last successful
 *   one, -1 if none).
 * - GROUPS: entries-read and lag (nil when unknown, see lib/stream/lag.ts).
 * - CONSUMERS: idle (since seen-time) and (7.2+) inactive (since
 *   active-time, -1 if never active).
 * - STREAM (Redis 8.6): for every stream, idmp-duration, idmp-maxsize,
 *   pids-tracked, iids-tracked, iids-added and iids-duplicates after
 *   recorded-first-entry-id (the docs give no order); FULL adds each group's
 *   nacked-count (Redis 8.8: entries XNACK released), after pel-count.
 * Groups and consumers are listed by name, bytewise, as Redis's rax orders them.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block, key, singleKey } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type Stream } from '../../lib/stream/stream.js';
import { getStream, idmpLimits } from './lookup.js';
import { writeEntry } from './reply.js';
import { type StreamId, MIN_ID, MAX_ID, formatId } from '../../lib/stream/id.js';
import { ENTRIES_READ_UNKNOWN, type ConsumerGroup, deliveryCountReply } from '../../lib/stream/group.js';
import { firstEntryId, groupLag } from '../../lib/stream/lag.js';
import { streamHelpSubcommand } from './xgroup.js';
import type { HelpEntry } from '../../lib/help.js';

const base = { group: 'stream', firstKey: 2, lastKey: 2, step: 1 };

/** The stream at argv[2], or `ERR no such key`. */
function streamOrError(c: Session, argv: Buffer[]): Stream {
  const s = getStream(c, keyOf(argv[2]));
  if (s === null) throw E.NO_SUCH_KEY;
  return s;
}

function sortedGroups(s: Stream): ConsumerGroup[] {
  const list = Array.from(s.groups.values());
  list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return list;
}

/**
 * Approximation of Redis's rax node count (XINFO radix-tree-nodes), which
 * depends on how the 128-bit keys share prefixes: one root plus about one
 * node per key. Documented as a deviation.
 */
function radixTreeNodes(s: Stream): number {
  return s.log.chunkCount + 1;
}

function writeIdField(c: Session, name: string, id: StreamId): void {
  c.reply.bulk(name);
  c.reply.bulkLatin1(formatId(id));
}

function writeNullableInt(c: Session, n: number | bigint | null): void {
  if (n === null) c.reply.nullBulk();
  else c.reply.int(n);
}

function writeStreamHeader(c: Session, s: Stream): void {
  c.reply.bulk('length');
  c.reply.int(s.length);
  c.reply.bulk('radix-tree-keys');
  c.reply.int(s.log.chunkCount);
  c.reply.bulk('radix-tree-nodes');
  c.reply.int(radixTreeNodes(s));
  writeIdField(c, 'last-generated-id', s.lastId);
  writeIdField(c, 'max-deleted-entry-id', s.maxDeletedId);
  c.reply.bulk('entries-added');
  c.reply.int(s.entriesAdded);
  writeIdField(c, 'recorded-first-entry-id', firstEntryId(s));
  writeIdmpFields(c, s);
}

/** The idempotent-production fields every stream reports (Redis 8.6), with the server defaults until XCFGSET or IDMP. */
const IDMP_FIELDS = 6;

function writeIdmpFields(c: Session, s: Stream): void {
  const lim = idmpLimits(c, s);
  const counts = s.idmp?.counts(Date.now(), lim.durationMs) ?? { pids: 0, iids: 0 };
  c.reply.bulk('idmp-duration');
  c.reply.int(lim.durationMs / 1000);
  c.reply.bulk('idmp-maxsize');
  c.reply.int(lim.maxSize);
  c.reply.bulk('pids-tracked');
  c.reply.int(counts.pids);
  c.reply.bulk('iids-tracked');
  c.reply.int(counts.iids);
  c.reply.bulk('iids-added');
  c.reply.int(s.idmp?.iidsAdded ?? 0);
  c.reply.bulk('iids-duplicates');
  c.reply.int(s.idmp?.iidsDuplicates ?? 0);
}

/** One edge entry (first or last) or nil. */
function writeEdgeEntry(c: Session, s: Stream, rev: boolean): void {
  let found: StreamId | null = null;
  let fields: Buffer[] | null = null;
  s.log.range(MIN_ID, MAX_ID, rev, 1, (id, f) => {
    found = id;
    fields = f;
    return false;
  });
  if (found === null) c.reply.nullBulk();
  else writeEntry(c, found, fields!);
}

function streamInfo(c: Session, argv: Buffer[]): void {
  const s = streamOrError(c, argv);
  const optc = argv.length - 3;
  let full = false;
  let count = 10;
  if (optc > 0) {
    if ((optc !== 1 && optc !== 3) || !isWord(argv[3], 'full') || (optc === 3 && !isWord(argv[4], 'count')))
      throw E.subcommandSyntax(argv[1].toString(), 'xinfo');
    full = true;
    if (optc === 3) {
      const v = parseInt64(argv[5]);
      if (v === null) throw E.NOT_INTEGER;
      count = v < 0 ? 10 : typeof v === 'bigint' ? 0 : v;
    }
  }
  const extra = IDMP_FIELDS;
  if (!full) {
    c.reply.map(10 + extra);
    writeStreamHeader(c, s);
    c.reply.bulk('groups');
    c.reply.int(s.groups.size);
    c.reply.bulk('first-entry');
    writeEdgeEntry(c, s, false);
    c.reply.bulk('last-entry');
    writeEdgeEntry(c, s, true);
    return;
  }
  c.reply.map(9 + extra);
  writeStreamHeader(c, s);
  c.reply.bulk('entries');
  const ids: StreamId[] = [];
  const values: Buffer[][] = [];
  s.log.range(MIN_ID, MAX_ID, false, count, (id, f) => {
    ids.push(id);
    values.push(f);
    return true;
  });
  c.reply.array(ids.length);
  for (let i = 0; i < ids.length; i++) writeEntry(c, ids[i], values[i]);
  c.reply.bulk('groups');
  const groups = sortedGroups(s);
  c.reply.array(groups.length);
  for (const g of groups) {
    c.reply.map(8);
    c.reply.bulk('name');
    c.reply.bulkLatin1(g.name);
    writeIdField(c, 'last-delivered-id', g.lastId);
    c.reply.bulk('entries-read');
    writeNullableInt(c, g.entriesRead === ENTRIES_READ_UNKNOWN ? null : g.entriesRead);
    c.reply.bulk('lag');
    writeNullableInt(c, groupLag(s, g));
    c.reply.bulk('pel-count');
    c.reply.int(g.pel.size);
    // Entries released by XNACK and not yet claimed (Redis 8.8).
    c.reply.bulk('nacked-count');
    c.reply.int(g.unowned.pel.size);
    c.reply.bulk('pending');
    const n = count === 0 ? g.pel.size : Math.min(count, g.pel.size);
    c.reply.array(n);
    const cur = g.pel.seek();
    for (let i = 0; i < n; i++) {
      const pe = cur.next()!;
      c.reply.array(4);
      c.reply.bulkLatin1(formatId(pe.id));
      c.reply.bulkLatin1(pe.consumer.name);
      c.reply.int(pe.deliveryTime);
      c.reply.int(deliveryCountReply(pe.deliveryCount));
    }
    const consumers = g.sortedConsumers();
    c.reply.bulk('consumers');
    c.reply.array(consumers.length);
    for (const consumer of consumers) {
      c.reply.map(5);
      c.reply.bulk('name');
      c.reply.bulkLatin1(consumer.name);
      c.reply.bulk('seen-time');
      c.reply.int(consumer.seenTime);
      c.reply.bulk('active-time');
      c.reply.int(consumer.activeTime);
      c.reply.bulk('pel-count');
      c.reply.int(consumer.pel.size);
      c.reply.bulk('pending');
      const m = count === 0 ? consumer.pel.size : Math.min(count, consumer.pel.size);
      c.reply.array(m);
      const pc = consumer.pel.seek();
      for (let i = 0; i < m; i++) {
        const pe = pc.next()!;
        c.reply.array(3);
        c.reply.bulkLatin1(formatId(pe.id));
        c.reply.int(pe.deliveryTime);
        c.reply.int(deliveryCountReply(pe.deliveryCount));
      }
    }
  }
}

const stream: CommandSpec = {
  ...base,
  name: 'stream',
  arity: -3,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keySpecs: [singleKey(2, ['RO', 'access'])],
  summary: 'Returns information about a stream.',
  since: '5.0.0',
  complexity: 'O(1)',
  history: [
    ['6.0.0', 'Added the `FULL` modifier.'],
    ['7.0.0', 'Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields'],
    ['7.2.0', 'Added the `active-time` field, and changed the meaning of `seen-time`.'],
  ],
  arguments: [
    key('key'),
    block('full-block', [arg('full', 'pure-token', { token: 'FULL' }), arg('count', 'integer', { token: 'COUNT', optional: true })], {
      optional: true,
    }),
  ],
  handler: streamInfo,
};

const groups: CommandSpec = {
  ...base,
  name: 'groups',
  arity: 3,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keySpecs: [singleKey(2, ['RO', 'access'])],
  summary: 'Returns a list of the consumer groups of a stream.',
  since: '5.0.0',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the `entries-read` and `lag` fields']],
  arguments: [key('key')],
  handler(c, argv) {
    const s = streamOrError(c, argv);
    const list = sortedGroups(s);
    c.reply.array(list.length);
    for (const g of list) {
      c.reply.map(6);
      c.reply.bulk('name');
      c.reply.bulkLatin1(g.name);
      c.reply.bulk('consumers');
      c.reply.int(g.consumers.size);
      c.reply.bulk('pending');
      c.reply.int(g.pel.size);
      writeIdField(c, 'last-delivered-id', g.lastId);
      c.reply.bulk('entries-read');
      writeNullableInt(c, g.entriesRead === ENTRIES_READ_UNKNOWN ? null : g.entriesRead);
      c.reply.bulk('lag');
      writeNullableInt(c, groupLag(s, g));
    }
  },
};

const consumers: CommandSpec = {
  ...base,
  name: 'consumers',
  arity: 4,
  flags: ['readonly'],
  acl: ['read', 'stream', 'slow'],
  keySpecs: [singleKey(2, ['RO', 'access'])],
  tips: ['nondeterministic_output'],
  summary: 'Returns a list of the consumers in a consumer group.',
  since: '5.0.0',
  complexity: 'O(1)',
  history: [['7.2.0', 'Added the `inactive` field, and changed the meaning of `idle`.']],
  arguments: [key('key'), arg('group', 'string')],
  handler(c, argv) {
    const s = streamOrError(c, argv);
    const groupName = argv[3].toString('latin1');
    const g = s.groups.get(groupName);
    if (g === undefined) throw E.noGroupForKey(keyOf(argv[2]), groupName);
    const now = Date.now();
    const list = g.sortedConsumers();
    c.reply.array(list.length);
    for (const consumer of list) {
      c.reply.map(4);
      c.reply.bulk('name');
      c.reply.bulkLatin1(consumer.name);
      c.reply.bulk('pending');
      c.reply.int(consumer.pel.size);
      c.reply.bulk('idle');
      c.reply.int(Math.max(0, now - consumer.seenTime));
      c.reply.bulk('inactive');
      c.reply.int(consumer.activeTime === -1 ? -1 : now - consumer.activeTime);
    }
  },
};

/** XINFO HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['consumers', ['CONSUMERS <key> <groupname>', '    Show consumers of <groupname>.']],
  ['groups', ['GROUPS <key>', '    Show the stream consumer groups.']],
  ['stream', ['STREAM <key> [FULL [COUNT <count>]', '    Show information about the stream.']],
];

const help = streamHelpSubcommand('xinfo', HELP);

export const xinfo: CommandSpec = {
  group: 'stream',
  name: 'xinfo',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for stream introspection commands.',
  since: '5.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [help, groups, consumers, stream],
};
