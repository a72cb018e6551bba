/** OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP: introspection of one key's value. */
import type { CommandSpec, Handler } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { keyOf, type Value } from '../../lib/engine/keyspace.js';
import * as E from '../../lib/errors.js';
import { typeOf } from '../../lib/types/registry.js';
import { lookupRead } from './lookup.js';
import { helpLines, writeHelp, type HelpEntry } from '../../lib/help.js';

/** OBJECT HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['encoding', ['ENCODING <key>', '    Return the kind of internal representation used in order to store the value', '    associated with a <key>.']],
  ['freq', ['FREQ <key>', '    Return the access frequency index of the <key>. The returned integer is', '    proportional to the logarithm of the recent access frequency of the key.']],
  ['idletime', ['IDLETIME <key>', '    Return the idle time of the <key>, that is the approximated number of', '    seconds elapsed since the last access to the key.']],
  ['refcount', ['REFCOUNT <key>', '    Return the number of references of the value associated with the specified', '    <key>.']],
];

/** Redis's LFU_INIT_VAL: the counter a key starts with. Access frequency is not tracked, so FREQ reports it. */
const LFU_INIT_VAL = 5;

const lfuPolicy = (c: Session): boolean => c.server.config.get('maxmemory-policy').includes('lfu');

/** The value, or null after replying null (OBJECT does not update the access time). */
function introspect(c: Session, argv: Buffer[]): Value | null {
  const v = lookupRead(c, keyOf(argv[2]), false);
  if (v === undefined) {
    c.reply.nullBulk();
    return null;
  }
  return v;
}

/**
 * The four key subcommands share all metadata but name, docs and handler:
 * read-only, the key at argv[2], output that depends on server state.
 */
function keySubcommand(name: string, summary: string, since: string, handler: Handler): CommandSpec {
  return {
    name,
    arity: 3,
    flags: ['readonly'],
    acl: ['keyspace', 'read', 'slow'],
    firstKey: 2,
    lastKey: 2,
    step: 1,
    keySpecs: [{ flags: ['RO'], beginSearch: { index: 2 }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } }],
    tips: ['nondeterministic_output'],
    summary,
    since,
    group: 'generic',
    complexity: 'O(1)',
    arguments: [
      { name: 'key', type: 'key', keySpecIndex: 0 },
    ],
    handler,
  };
}

export const object: CommandSpec = {
  name: 'object',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for object introspection commands.',
  since: '2.2.3',
  group: 'generic',
  complexity: 'Depends on subcommand.',
  subcommands: [
    keySubcommand('encoding', 'Returns the internal encoding of a Redis object.', '2.2.3', (c, argv) => {
      const v = introspect(c, argv);
      if (v !== null) c.reply.bulk(typeOf(v).encoding(v));
    }),
    keySubcommand('freq', 'Returns the logarithmic access frequency counter of a Redis object.', '4.0.0', (c, argv) => {
      // The key first (a missing key is nil whatever the policy), then the policy, as Redis's objectCommand.
      const v = lookupRead(c, keyOf(argv[2]), false);
      if (v === undefined) return c.reply.nullBulk();
      if (!lfuPolicy(c)) throw E.OBJECT_FREQ_NO_LFU;
      c.reply.int(LFU_INIT_VAL);
    }),
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      acl: ['keyspace', 'slow'],
      firstKey: 0,
      lastKey: 0,
      step: 0,
      summary: 'Returns helpful text about the different subcommands.',
      since: '6.2.0',
      group: 'generic',
      complexity: 'O(1)',
      handler(c) {
        writeHelp(c, 'OBJECT', helpLines(c.server.commands.get('object'), HELP));
      },
    },
    keySubcommand('idletime', 'Returns the time since the last access to a Redis object.', '2.2.3', (c, argv) => {
      if (introspect(c, argv) === null) return;
      if (lfuPolicy(c)) throw E.OBJECT_IDLETIME_LFU;
      c.reply.int(Math.floor(c.db.idleMs(keyOf(argv[2])) / 1000));
    }),
    keySubcommand('refcount', 'Returns the reference count of a value of a key.', '2.2.3', (c, argv) => {
      const v = introspect(c, argv);
      if (v !== null) c.reply.int(typeOf(v).refcount(v));
    }),
  ],
};
