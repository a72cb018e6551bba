/** MEMORY USAGE key [SAMPLES count] and MEMORY HELP. */
import type { CommandSpec } from '../../lib/command.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { keyOverhead } from '../../lib/types/string.js';
import { typeOf } from '../../lib/types/registry.js';
import { helpLines, writeHelp, type HelpEntry } from '../../lib/help.js';

/** MEMORY HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['doctor', ['DOCTOR', '    Return memory problems reports.']],
  ['malloc-stats', ['MALLOC-STATS', '    Return internal statistics report from the memory allocator.']],
  ['purge', ['PURGE', '    Attempt to purge dirty pages for reclamation by the allocator.']],
  ['stats', ['STATS', '    Return information about the memory usage of the server.']],
  ['usage', ['USAGE <key> [SAMPLES <count>]', '    Return memory in bytes used by <key> and its value. Nested values are', '    sampled up to <count> times (default: 5, 0 means sample all).']],
];

export const memory: CommandSpec = {
  name: 'memory',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for memory diagnostics commands.',
  since: '4.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['slow'],
      firstKey: 0,
      lastKey: 0,
      step: 0,
      summary: 'Returns helpful text about the different subcommands.',
      since: '4.0.0',
      group: 'server',
      complexity: 'O(1)',
      handler(c) {
        writeHelp(c, 'MEMORY', helpLines(c.server.commands.get('memory'), HELP));
      },
    },
    {
      name: 'usage',
      arity: -3,
      flags: ['readonly'],
      acl: ['read', 'slow'],
      firstKey: 2,
      lastKey: 2,
      step: 1,
      keySpecs: [{ flags: ['RO'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
      summary: 'Estimates the memory usage of a key.',
      since: '4.0.0',
      group: 'server',
      complexity: 'O(N) where N is the number of samples.',
      arguments: [
        { name: 'key', type: 'key', keySpecIndex: 0 },
        { name: 'count', type: 'integer', token: 'SAMPLES', optional: true },
      ],
      handler(c, argv) {
        for (let i = 3; i < argv.length; i++) {
          if (isWord(argv[i], 'samples') && i + 1 < argv.length) {
            const n = parseInt64(argv[++i]);
            if (n === null) throw E.NOT_INTEGER;
            if (n < 0) throw E.SYNTAX;
            // Sizes are computed exactly, so the sample count changes nothing.
          } else {
            throw E.SYNTAX;
          }
        }
        const key = keyOf(argv[2]);
        // Like Redis's dbFind: a logically expired key that is still stored is measured, not deleted.
        const v = c.db.peek(key);
        if (v === undefined) {
          c.reply.nullBulk();
          return;
        }
        const valueBytes = typeOf(v).memoryUsage(v);
        c.reply.int(valueBytes + keyOverhead(key.length));
      },
    },
  ],
};
