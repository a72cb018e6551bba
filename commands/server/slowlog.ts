/** SLOWLOG GET / LEN / RESET / HELP: the slow log kept by lib/slowlog.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { arg } from '../../lib/command.js';
import * as E from '../../lib/errors.js';
import { parseInt64 } from '../../lib/args.js';


const sub = {
  flags: ['admin', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
  since: '2.2.12',
};

const HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Print this help.',
];

export const slowlog: CommandSpec = {
  name: 'slowlog',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for slow log commands.',
  since: '2.2.12',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      ...sub,
      name: 'get',
      arity: -2,
      summary: "Returns the slow log's entries.",
      complexity: 'O(N) where N is the number of entries returned',
      history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
      tips: ['request_policy:all_nodes', 'nondeterministic_output'],
      arguments: [arg('count', 'integer', { optional: true })],
      handler(c, argv) {
        if (argv.length > 3) throw E.subcommandSyntax(argv[1].toString(), 'slowlog');
        const entries = c.server.ops.slowlog.entries;
        let count = 10;
        if (argv.length === 3) {
          const n = parseInt64(argv[2]);
          if (n === null || typeof n !== 'number' || n < -1) throw E.SLOWLOG_COUNT;
          count = n === -1 ? entries.length : n;
        }
        count = Math.min(count, entries.length);
        c.reply.array(count);
        for (let i = 0; i < count; i++) {
          const e = entries[i];
          c.reply.array(6);
          c.reply.int(e.id);
          c.reply.int(e.time);
          c.reply.int(e.duration);
          c.reply.array(e.argv.length);
          for (const a of e.argv) c.reply.bulk(a);
          c.reply.bulk(e.peer);
          c.reply.bulk(e.name);
        }
      },
    },
    {
      ...sub,
      name: 'len',
      arity: 2,
      summary: 'Returns the number of entries in the slow log.',
      complexity: 'O(1)',
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
      handler(c) {
        c.reply.int(c.server.ops.slowlog.entries.length);
      },
    },
    {
      ...sub,
      name: 'reset',
      arity: 2,
      summary: 'Clears all entries from the slow log.',
      complexity: 'O(N) where N is the number of entries in the slowlog',
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      handler(c) {
        c.server.ops.slowlog.reset();
        c.reply.ok();
      },
    },
    {
      ...sub,
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['slow'],
      since: '6.2.0',
      summary: 'Show helpful text about the different subcommands',
      complexity: 'O(1)',
      handler(c) {
        c.reply.array(HELP.length);
        for (const l of HELP) c.reply.simple(l);
      },
    },
  ],
};
