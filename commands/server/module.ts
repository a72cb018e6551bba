/**
 * MODULE LIST / HELP / LOAD / LOADEX / UNLOAD. rivulet loads no Redis modules:
 * the list is empty, and loading fails as Redis fails for a library it cannot
 * load (after the dispatcher's enable-module-command check).
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, block } from '../../lib/command.js';
import * as E from '../../lib/errors.js';

const sub = {
  flags: ['no_async_loading', 'admin', 'noscript'] as CommandSpec['flags'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
  since: '4.0.0',
  complexity: 'O(1)',
};

const HELP = [
  'MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
  'HELP',
  '    Print this help.',
];

export const module: CommandSpec = {
  name: 'module',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for module commands.',
  since: '4.0.0',
  group: 'server',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      ...sub,
      name: 'list',
      arity: 2,
      flags: ['admin', 'noscript'],
      summary: 'Returns all loaded modules.',
      complexity: 'O(N) where N is the number of loaded modules.',
      tips: ['nondeterministic_output_order'],
      handler(c) {
        c.reply.array(0);
      },
    },
    {
      ...sub,
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['slow'],
      since: '5.0.0',
      summary: 'Returns helpful text about the different subcommands.',
      handler(c) {
        c.reply.array(HELP.length);
        for (const l of HELP) c.reply.simple(l);
      },
    },
    {
      ...sub,
      name: 'load',
      // enable-module-command, checked by the dispatcher (Redis's PROTECTED flag).
      protectedBy: 'enable-module-command',
      arity: -3,
      summary: 'Loads a module.',
      arguments: [arg('path', 'string'), arg('arg', 'string', { optional: true, multiple: true })],
      handler(c, argv) {
        c.server.log('warning', `Module ${argv[2].toString()} failed to load: rivulet does not load Redis modules`);
        throw E.MODULE_LOAD_FAILED;
      },
    },
    {
      ...sub,
      name: 'loadex',
      // enable-module-command, checked by the dispatcher (Redis's PROTECTED flag).
      protectedBy: 'enable-module-command',
      arity: -3,
      since: '7.0.0',
      summary: 'Loads a module using extended parameters.',
      arguments: [
        arg('path', 'string'),
        block('configs', [arg('name', 'string'), arg('value', 'string')], { token: 'CONFIG', multiple: true, multipleToken: true, optional: true }),
        arg('args', 'string', { token: 'ARGS', multiple: true, optional: true }),
      ],
      handler(c, argv) {
        c.server.log('warning', `Module ${argv[2].toString()} failed to load: rivulet does not load Redis modules`);
        throw E.MODULE_LOAD_FAILED;
      },
    },
    {
      ...sub,
      name: 'unload',
      // enable-module-command, checked by the dispatcher (Redis's PROTECTED flag).
      protectedBy: 'enable-module-command',
      arity: 3,
      summary: 'Unloads a module.',
      arguments: [arg('name', 'string')],
      handler() {
        throw E.MODULE_UNLOAD_NO_SUCH;
      },
    },
  ],
};
