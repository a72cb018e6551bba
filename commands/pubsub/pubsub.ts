/** PUBSUB CHANNELS | NUMSUB | NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP: introspection of the registry. */
import type { CommandSpec } from '../../lib/command.js';
import { arg } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { globMatch } from '../../lib/glob.js';
import { pubsubOf } from '../../lib/pubsub.js';
import { helpLines, writeHelp, type HelpEntry } from '../../lib/help.js';

const sub = {
  flags: ['pubsub', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['pubsub', 'slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'pubsub',
};

/** Names in `map` matching the optional pattern argv[2] (all when absent); `CHANNELS a b` is a syntax error. */
function listMatching(c: Session, argv: Buffer[], map: Map<string, unknown>): void {
  if (argv.length > 3) throw E.subcommandSyntax(argv[1].toString(), 'pubsub');
  const pattern = argv.length === 3 ? argv[2] : null;
  const out: Buffer[] = [];
  for (const name of map.keys()) {
    const bytes = Buffer.from(name, 'latin1');
    if (pattern === null || globMatch(pattern, bytes)) out.push(bytes);
  }
  c.reply.array(out.length);
  for (const b of out) c.reply.bulk(b);
}

/** Flat name, count pairs (an array in RESP3 too, as Redis replies). */
function countEach(c: Session, argv: Buffer[], map: Map<string, Set<Session>>): void {
  c.reply.array((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]);
    c.reply.int(map.get(argv[i].toString('latin1'))?.size ?? 0);
  }
}

/** PUBSUB HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['channels', ['CHANNELS [<pattern>]', "    Return the currently active channels matching a <pattern> (default: '*')."]],
  ['numpat', ['NUMPAT', '    Return number of subscriptions to patterns.']],
  ['numsub', ['NUMSUB [<channel> ...]', '    Return the number of subscribers for the specified channels, excluding', '    pattern subscriptions(default: no channels).']],
  ['shardchannels', ['SHARDCHANNELS [<pattern>]', "    Return the currently active shard level channels matching a <pattern> (default: '*')."]],
  ['shardnumsub', ['SHARDNUMSUB [<shardchannel> ...]', '    Return the number of subscribers for the specified shard level channel(s)']],
];

export const pubsub: CommandSpec = {
  name: 'pubsub',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'pubsub',
  summary: 'A container for Pub/Sub commands',
  since: '2.8.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      ...sub,
      name: 'channels',
      arity: -2,
      summary: 'List active channels',
      since: '2.8.0',
      complexity:
        'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
      arguments: [arg('pattern', 'pattern', { optional: true })],
      handler(c, argv) {
        listMatching(c, argv, pubsubOf(c.server).channels);
      },
    },
    {
      ...sub,
      name: 'numpat',
      arity: 2,
      summary: 'Get the count of unique patterns pattern subscriptions',
      since: '2.8.0',
      complexity: 'O(1)',
      handler(c) {
        c.reply.int(pubsubOf(c.server).patterns.size);
      },
    },
    {
      ...sub,
      flags: ['loading', 'stale'],
      acl: ['slow'],
      name: 'help',
      arity: 2,
      summary: 'Show helpful text about the different subcommands',
      since: '6.2.0',
      complexity: 'O(1)',
      handler(c) {
        writeHelp(c, 'PUBSUB', helpLines(c.server.commands.get('pubsub'), HELP));
      },
    },
    {
      ...sub,
      name: 'numsub',
      arity: -2,
      summary: 'Get the count of subscribers for channels',
      since: '2.8.0',
      complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
      arguments: [arg('channel', 'string', { optional: true, multiple: true })],
      handler(c, argv) {
        countEach(c, argv, pubsubOf(c.server).channels);
      },
    },
    {
      ...sub,
      name: 'shardnumsub',
      arity: -2,
      summary: 'Get the count of subscribers for shard channels',
      since: '7.0.0',
      complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
      arguments: [arg('shardchannel', 'string', { optional: true, multiple: true })],
      handler(c, argv) {
        countEach(c, argv, pubsubOf(c.server).shardChannels);
      },
    },
    {
      ...sub,
      name: 'shardchannels',
      arity: -2,
      summary: 'List active shard channels',
      since: '7.0.0',
      complexity:
        'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
      arguments: [arg('pattern', 'pattern', { optional: true })],
      handler(c, argv) {
        listMatching(c, argv, pubsubOf(c.server).shardChannels);
      },
    },
  ],
};
