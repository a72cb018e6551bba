/**
 * COMMAND and its subcommands: answered from the command table, never
 * hand-copied, so they cannot drift from what the dispatcher enforces.
 */
import type { ArgSpec, CommandSpec, KeySpec } from '../lib/command.js';
import { arg, arityOk, keyIndices } from '../lib/command.js';
import type { Session } from '../lib/engine/session.js';
import type { ReplyWriter } from '../lib/resp/writer.js';
import * as E from '../lib/errors.js';
import { word } from '../lib/args.js';
import { globMatch } from '../lib/glob.js';
import { helpLines, writeHelp, type HelpEntry } from '../lib/help.js';

/** Looks up `name` or `container|sub`. */
function lookup(c: Session, name: string): { spec: CommandSpec; fullName: string } | null {
  const lower = name.toLowerCase();
  const bar = lower.indexOf('|');
  if (bar === -1) {
    const spec = c.server.commands.get(lower);
    return spec ? { spec, fullName: lower } : null;
  }
  const parent = c.server.commands.get(lower.slice(0, bar));
  const sub = parent?.subcommands?.find((s) => s.name === lower.slice(bar + 1));
  return sub ? { spec: sub, fullName: lower } : null;
}

function writeKeySpec(w: ReplyWriter, ks: KeySpec): void {
  w.map(ks.notes ? 4 : 3);
  if (ks.notes) {
    w.bulk('notes');
    w.bulk(ks.notes);
  }
  w.bulk('flags');
  w.set(ks.flags.length);
  for (const f of ks.flags) w.simple(f);
  w.bulk('begin_search');
  w.map(2);
  w.bulk('type');
  if ('unknown' in ks.beginSearch) {
    w.bulk('unknown');
    w.bulk('spec');
    w.map(0);
  } else if ('index' in ks.beginSearch) {
    w.bulk('index');
    w.bulk('spec');
    w.map(1);
    w.bulk('index');
    w.int(ks.beginSearch.index);
  } else {
    w.bulk('keyword');
    w.bulk('spec');
    w.map(2);
    w.bulk('keyword');
    w.bulk(ks.beginSearch.keyword);
    w.bulk('startfrom');
    w.int(ks.beginSearch.startFrom);
  }
  w.bulk('find_keys');
  w.map(2);
  w.bulk('type');
  const fk = ks.findKeys;
  if ('unknown' in fk) {
    w.bulk('unknown');
    w.bulk('spec');
    w.map(0);
  } else if ('lastKey' in fk) {
    w.bulk('range');
    w.bulk('spec');
    w.map(3);
    w.bulk('lastkey');
    w.int(fk.lastKey);
    w.bulk('keystep');
    w.int(fk.keyStep);
    w.bulk('limit');
    w.int(fk.limit);
  } else {
    w.bulk('keynum');
    w.bulk('spec');
    w.map(3);
    w.bulk('keynumidx');
    w.int(fk.keyNumIdx);
    w.bulk('firstkey');
    w.int(fk.firstKey);
    w.bulk('keystep');
    w.int(fk.keyStep);
  }
}

/** The order Redis lists command flags in (server.c addReplyFlagsForCommand's table). */
const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale', 'skip_monitor',
  'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];
/** The order Redis lists ACL categories in (acl.c ACLCommandCategories). */
const ACL_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream',
  'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

/** `names` in the order of `order` (a name it lacks goes last, in its given order): Redis walks its bit tables, not the declaration. */
function inOrder<T extends string>(names: readonly T[], order: readonly string[]): T[] {
  const rank = (n: string): number => {
    const i = order.indexOf(n);
    return i === -1 ? order.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b));
}

/** One COMMAND INFO entry (10 fields, Redis 7 layout). */
export function writeCommandInfo(w: ReplyWriter, spec: CommandSpec, fullName: string): void {
  w.array(10);
  w.bulk(fullName);
  w.int(spec.arity);
  // may_replicate is hidden on purpose in Redis's COMMAND INFO (server.c addReplyFlagsForCommand).
  const flags = spec.flags.filter((f) => f !== 'may_replicate');
  if (spec.keySpecs?.some((k) => !('index' in k.beginSearch) || !('lastKey' in k.findKeys)) && !flags.includes('movablekeys'))
    flags.push('movablekeys');
  w.set(flags.length);
  for (const f of inOrder(flags, FLAG_ORDER)) w.simple(f);
  w.int(spec.firstKey);
  w.int(spec.lastKey);
  w.int(spec.step);
  w.set(spec.acl.length);
  for (const a of inOrder(spec.acl, ACL_ORDER)) w.simple('@' + a);
  const tips = spec.tips ?? [];
  w.set(tips.length);
  for (const t of tips) w.bulk(t); // tips are bulk strings, flags and categories status replies (as Redis)
  const ks = spec.keySpecs ?? [];
  w.set(ks.length); // Redis replies key specs as a set in RESP3
  for (const k of ks) writeKeySpec(w, k);
  const subs = spec.subcommands ?? [];
  // No subcommands: an empty set; otherwise an array (Redis's own asymmetry, visible in RESP3).
  if (subs.length === 0) w.set(0);
  else w.array(subs.length);
  for (const s of subs) writeCommandInfo(w, s, `${fullName}|${s.name}`);
}

function writeArgDocs(w: ReplyWriter, a: ArgSpec): void {
  const fields: [string, () => void][] = [];
  fields.push(['name', () => w.bulk(a.name)]);
  fields.push(['type', () => w.bulk(a.type)]);
  if (a.type !== 'oneof' && a.type !== 'block') fields.push(['display_text', () => w.bulk(a.display ?? a.name)]);
  if (a.keySpecIndex !== undefined) fields.push(['key_spec_index', () => w.int(a.keySpecIndex!)]);
  if (a.token) fields.push(['token', () => w.bulk(a.token!)]);
  if (a.summary) fields.push(['summary', () => w.bulk(a.summary!)]);
  if (a.since) fields.push(['since', () => w.bulk(a.since!)]);
  const flags = [a.optional && 'optional', a.multiple && 'multiple', a.multipleToken && 'multiple_token'].filter(Boolean) as string[];
  if (flags.length) {
    fields.push([
      'flags',
      () => {
        w.set(flags.length);
        for (const f of flags) w.simple(f);
      },
    ]);
  }
  if (a.arguments) {
    fields.push([
      'arguments',
      () => {
        w.array(a.arguments!.length);
        for (const sub of a.arguments!) writeArgDocs(w, sub);
      },
    ]);
  }
  w.map(fields.length);
  for (const [k, write] of fields) {
    w.bulk(k);
    write();
  }
}

/** One COMMAND DOCS value (the map after the name). */
export function writeCommandDocs(w: ReplyWriter, spec: CommandSpec, fullName: string): void {
  const fields: [string, () => void][] = [
    ['summary', () => w.bulk(spec.summary)],
    ['since', () => w.bulk(spec.since)],
    ['group', () => w.bulk(spec.group)],
  ];
  if (spec.complexity) fields.push(['complexity', () => w.bulk(spec.complexity!)]);
  if (spec.docFlags?.length) {
    fields.push([
      'doc_flags',
      () => {
        w.set(spec.docFlags!.length);
        for (const f of spec.docFlags!) w.simple(f);
      },
    ]);
  }
  if (spec.deprecatedSince) fields.push(['deprecated_since', () => w.bulk(spec.deprecatedSince!)]);
  if (spec.replacedBy) fields.push(['replaced_by', () => w.bulk(spec.replacedBy!)]);
  if (spec.history?.length) {
    fields.push([
      'history',
      () => {
        w.array(spec.history!.length);
        for (const [v, d] of spec.history!) {
          w.array(2);
          w.bulk(v);
          w.bulk(d);
        }
      },
    ]);
  }
  if (spec.arguments?.length) {
    fields.push([
      'arguments',
      () => {
        w.array(spec.arguments!.length);
        for (const a of spec.arguments!) writeArgDocs(w, a);
      },
    ]);
  }
  if (spec.subcommands?.length) {
    fields.push([
      'subcommands',
      () => {
        w.map(spec.subcommands!.length);
        for (const s of spec.subcommands!) {
          const n = `${fullName}|${s.name}`;
          w.bulk(n);
          writeCommandDocs(w, s, n);
        }
      },
    ]);
  }
  w.map(fields.length);
  for (const [k, write] of fields) {
    w.bulk(k);
    write();
  }
}

const base = {
  flags: ['loading', 'stale'] as CommandSpec['flags'],
  acl: ['slow', 'connection'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
};

function allNames(c: Session): string[] {
  const out: string[] = [];
  for (const spec of c.server.commands.values()) {
    out.push(spec.name);
    for (const s of spec.subcommands ?? []) out.push(`${spec.name}|${s.name}`);
  }
  return out;
}

function getKeys(c: Session, argv: Buffer[]): { spec: CommandSpec; keys: number[]; args: Buffer[] } {
  const args = argv.slice(2);
  const found = lookup(c, args[0].toString());
  let spec = found?.spec;
  if (spec?.subcommands) {
    const sub = args.length > 1 ? spec.subcommands.find((s) => s.name === word(args[1])) : undefined;
    spec = sub;
  }
  if (!spec) throw E.custom('ERR Invalid command specified');
  if (!arityOk(spec.arity, args.length)) throw E.custom('ERR Invalid number of arguments specified for command');
  const keys = keyIndices(spec, args);
  if (keys.length === 0) throw E.custom('ERR The command has no key arguments');
  return { spec, keys, args };
}

/** COMMAND HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
/**
 * The access flags of each key argument (argv index → flags): the command's
 * own resolution for these arguments when its flags vary (SET ... GET), else
 * the flags of the key spec that found the key, as Redis's GETKEYSANDFLAGS.
 * A key only the command's own finder locates (an 'unknown' key spec, as
 * SORT's STORE destination) takes the flags of the spec its argument names:
 * the keyword argument just before it (SORT ... STORE d → OW update, as
 * Redis's sortGetKeys marks it).
 */
function keyFlagsOf(spec: CommandSpec, args: Buffer[]): Map<number, readonly string[]> {
  const out = new Map<number, readonly string[]>();
  const specs = spec.keySpecs ?? [];
  specs.forEach((ks, i) => {
    const flags = spec.keyFlags?.(args, i) ?? ks.flags;
    for (const k of keyIndices({ ...spec, keySpecs: [ks], getKeys: undefined }, args)) if (!out.has(k)) out.set(k, flags);
  });
  if (spec.getKeys) {
    for (const k of spec.getKeys(args)) {
      if (out.has(k) || k < 1) continue;
      const kw = args[k - 1].toString('latin1').toUpperCase();
      const arg = (spec.arguments ?? []).find((a) => a.type === 'key' && a.token?.toUpperCase() === kw && a.keySpecIndex !== undefined);
      const ks = arg ? specs[arg.keySpecIndex!] : undefined;
      if (ks) out.set(k, spec.keyFlags?.(args, arg!.keySpecIndex!) ?? ks.flags);
    }
  }
  return out;
}

const HELP: HelpEntry[] = [
  [null, ['(no subcommand)', '    Return details about all Redis commands.']],
  ['count', ['COUNT', '    Return the total number of commands in this Redis server.']],
  ['list', ['LIST', '    Return a list of all commands in this Redis server.']],
  ['info', ['INFO [<command-name> ...]', '    Return details about multiple Redis commands.', '    If no command names are given, documentation details for all', '    commands are returned.']],
  ['docs', ['DOCS [<command-name> ...]', '    Return documentation details about multiple Redis commands.', '    If no command names are given, documentation details for all', '    commands are returned.']],
  ['getkeys', ['GETKEYS <full-command>', '    Return the keys from a full Redis command.']],
  ['getkeysandflags', ['GETKEYSANDFLAGS <full-command>', '    Return the keys and the access flags from a full Redis command.']],
];

export const command: CommandSpec = {
  ...base,
  name: 'command',
  arity: -1,
  summary: 'Returns detailed information about all commands.',
  since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  tips: ['nondeterministic_output_order'],
  handler(c, argv) {
    // COMMAND with a subcommand word is dispatched below; bare COMMAND lists everything.
    if (argv.length > 1) throw E.unknownSubcommand(argv[1].toString(), 'command');
    c.reply.array(c.server.commands.size);
    for (const spec of c.server.commands.values()) writeCommandInfo(c.reply, spec, spec.name);
  },
  subcommands: [
    {
      ...base,
      name: 'count',
      arity: 2,
      summary: 'Returns a count of commands.',
      since: '2.8.13',
      complexity: 'O(1)',
      handler(c) {
        c.reply.int(c.server.commands.size);
      },
    },
    {
      ...base,
      name: 'info',
      arity: -2,
      summary: 'Returns information about one, multiple or all commands.',
      since: '2.8.13',
      complexity: 'O(N) where N is the number of commands to look up',
      history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
      arguments: [arg('command-name', 'string', { optional: true, multiple: true })],
      tips: ['nondeterministic_output_order'],
      handler(c, argv) {
        if (argv.length === 2) {
          c.reply.array(c.server.commands.size);
          for (const spec of c.server.commands.values()) writeCommandInfo(c.reply, spec, spec.name);
          return;
        }
        c.reply.array(argv.length - 2);
        for (let i = 2; i < argv.length; i++) {
          const f = lookup(c, argv[i].toString());
          if (f) writeCommandInfo(c.reply, f.spec, f.fullName);
          else c.reply.nullArray();
        }
      },
    },
    {
      ...base,
      name: 'docs',
      arity: -2,
      summary: 'Returns documentary information about one, multiple or all commands.',
      since: '7.0.0',
      complexity: 'O(N) where N is the number of commands to look up',
      arguments: [arg('command-name', 'string', { optional: true, multiple: true })],
      tips: ['nondeterministic_output_order'],
      handler(c, argv) {
        const found: { spec: CommandSpec; fullName: string }[] = [];
        if (argv.length === 2) {
          for (const spec of c.server.commands.values()) found.push({ spec, fullName: spec.name });
        } else {
          for (let i = 2; i < argv.length; i++) {
            const f = lookup(c, argv[i].toString());
            if (f) found.push(f);
          }
        }
        c.reply.map(found.length);
        for (const f of found) {
          c.reply.bulk(f.fullName);
          writeCommandDocs(c.reply, f.spec, f.fullName);
        }
      },
    },
    {
      ...base,
      name: 'list',
      arity: -2,
      summary: 'Returns a list of command names.',
      since: '7.0.0',
      complexity: 'O(N) where N is the total number of Redis commands',
      tips: ['nondeterministic_output_order'],
      handler(c, argv) {
        let names = allNames(c);
        if (argv.length > 2) {
          if (argv.length !== 5 || word(argv[2]) !== 'filterby') throw E.SYNTAX;
          const kind = word(argv[3]);
          const v = argv[4].toString();
          if (kind === 'pattern') names = names.filter((n) => globMatch(v, n, true));
          else if (kind === 'aclcat') {
            const cat = v.toLowerCase();
            names = names.filter((n) => (lookup(c, n)?.spec.acl ?? []).includes(cat));
          } else if (kind === 'module') names = [];
          else throw E.SYNTAX;
        }
        c.reply.bulkArray(names);
      },
    },
    {
      ...base,
      name: 'getkeys',
      arity: -3,
      summary: 'Extracts the key names from an arbitrary command.',
      since: '2.8.13',
      complexity: 'O(N) where N is the number of arguments to the command',
      handler(c, argv) {
        const { keys, args } = getKeys(c, argv);
        c.reply.array(keys.length);
        for (const k of keys) c.reply.bulk(args[k]);
      },
    },
    {
      ...base,
      name: 'getkeysandflags',
      arity: -3,
      summary: 'Extracts the key names and access flags for an arbitrary command.',
      since: '7.0.0',
      complexity: 'O(N) where N is the number of arguments to the command',
      handler(c, argv) {
        const { spec, keys, args } = getKeys(c, argv);
        const flagsOf = keyFlagsOf(spec, args);
        c.reply.array(keys.length);
        for (const k of keys) {
          const flags = flagsOf.get(k) ?? [];
          c.reply.array(2);
          c.reply.bulk(args[k]);
          c.reply.set(flags.length);
          for (const f of flags) c.reply.simple(f);
        }
      },
    },
    {
      ...base,
      name: 'help',
      arity: 2,
      summary: 'Returns helpful text about the different subcommands.',
      since: '5.0.0',
      complexity: 'O(1)',
      handler(c) {
        writeHelp(c, 'COMMAND', helpLines(c.server.commands.get('command'), HELP));
      },
    },
  ],
};
