/** INFO [section ...]: the text is built by lib/info.ts. */
import type { CommandSpec } from '../../lib/command.js';
import { arg } from '../../lib/command.js';
import { infoText } from '../../lib/info.js';
import { word } from '../../lib/args.js';

export const info: CommandSpec = {
  name: 'info',
  arity: -1,
  flags: ['loading', 'stale'],
  acl: ['slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  group: 'server',
  summary: 'Returns information and statistics about the server.',
  since: '1.0.0',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added support for taking multiple section arguments.']],
  arguments: [arg('section', 'string', { optional: true, multiple: true })],
  handler(c, argv) {
    const words = argv.slice(1).map(word);
    // A bulk string in RESP2, verbatim `txt` in RESP3, like Redis.
    c.reply.verbatim(infoText(c.server, words));
  },
};
