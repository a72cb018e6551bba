/**
 * The architecture as rules (run by `npm test` before the specs, and on its
 * own with `npm run deps`). Type-only imports count too: a layer that names
 * another layer's types depends on it.
 *
 *   lib/network      sockets, parser, backpressure       -> engine
 *   lib/engine       dispatch, call, propagation,        -> types, stream (data), config, resp writer
 *                    blocking, keyspace, sessions
 *   lib/types, lib/stream   data structures             -> nothing above them (lib/stream: not even
 *                                                         the engine or the RESP writer)
 *   lib/persistence  AOF                                 -> engine, data; never network
 *   lib/resp         RESP codec                          -> knows no command
 *   commands/        one command (family) per file       -> engine, data; never network
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles-in-lib',
      comment: 'lib/ has no import cycles (type-only imports excluded: they vanish at run time).',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'data-layer-knows-no-network-or-commands',
      comment: 'The stream data layer and the value types import nothing from the network, the commands or persistence.',
      severity: 'error',
      from: { path: '^lib/(stream|types)/' },
      to: { path: '^(lib/network/|commands/|lib/persistence/)' },
    },
    {
      name: 'stream-data-layer-knows-no-session',
      comment:
        'lib/stream/ is the pure stream layer (ID log, groups, PEL, IDMP, lag): no sessions, dispatch or reply writing. Argument parsing, replies, budgets and propagation builders live beside the commands (commands/stream/).',
      severity: 'error',
      from: { path: '^lib/stream/' },
      to: { path: '^(lib/engine/|lib/resp/|lib/command\\.ts)' },
    },
    {
      name: 'persistence-knows-no-network',
      comment: 'Persistence never writes to sockets: it imports no network code.',
      severity: 'error',
      from: { path: '^lib/persistence/' },
      to: { path: '^lib/network/' },
    },
    {
      name: 'engine-knows-no-network',
      comment: 'The engine knows sessions, never sockets: it reaches the network only through interfaces it declares.',
      severity: 'error',
      from: { path: '^lib/engine/' },
      to: { path: '^lib/network/' },
    },
    {
      name: 'engine-knows-no-node-net',
      comment: 'Only the network layer opens sockets.',
      severity: 'error',
      from: { path: '^(lib/(engine|stream|types|persistence)|commands)/' },
      to: { path: '^(net|node:net)$', dependencyTypes: ['core'] },
    },
    {
      name: 'resp-codec-knows-no-command',
      comment: 'The RESP codec knows no command.',
      severity: 'error',
      from: { path: '^lib/resp/' },
      to: { path: '^(commands/|lib/command\\.ts|lib/engine/)' },
    },
    {
      name: 'commands-know-no-network',
      comment: 'Command handlers get a session, never a socket.',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: '^lib/network/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
