/**
 * XGROUP: CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP.
 *
 * Order of checks as in Redis's xgroupCommand: the CREATE/SETID options are
 * parsed first (syntax and ENTRIESREAD errors win), then the key is looked up
 * (WRONGTYPE, then "requires the key to exist" unless MKSTREAM), then the
 * group (NOGROUP for SETID/CREATECONSUMER/DELCONSUMER), then the argument
 * count of the subcommand, then the ID.
 */
import type { CommandSpec } from '../../lib/command.js';
import { arg, key, oneof, singleKey, token } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import { helpSubcommand, type HelpEntry } from '../../lib/help.js';
import * as E from '../../lib/errors.js';
import { isWord, parseInt64 } from '../../lib/args.js';
import { keyOf } from '../../lib/engine/keyspace.js';
import { type Stream } from '../../lib/stream/stream.js';
import { getStreamForWrite, getOrCreateStream } from './lookup.js';
import { MIN_ID } from '../../lib/stream/id.js';
import { idArg as looseId, strictIdArg as strictId } from './args.js';
import { ConsumerGroup, ENTRIES_READ_UNKNOWN } from '../../lib/stream/group.js';
import { capEntriesRead } from '../../lib/stream/lag.js';

const stream = { group: 'stream' };

/** The HELP subcommand of a stream container (XGROUP, XINFO): same metadata for both. */
export function streamHelpSubcommand(cmd: 'xgroup' | 'xinfo', entries: readonly HelpEntry[]): CommandSpec {
  return helpSubcommand(cmd, entries, { ...stream, acl: ['stream', 'slow'], since: '5.0.0' });
}

interface Parsed {
  s: Stream | null;
  group: ConsumerGroup | undefined;
  mkstream: boolean;
  entriesRead: number | bigint;
}

/** The shared prologue of every XGROUP subcommand but HELP (see the file comment). */
function prologue(c: Session, argv: Buffer[], sub: 'create' | 'setid' | 'destroy' | 'createconsumer' | 'delconsumer'): Parsed {
  let mkstream = false;
  let entriesRead: number | bigint = ENTRIES_READ_UNKNOWN;
  for (let i = 5; i < argv.length; ) {
    if (sub === 'create' && isWord(argv[i], 'mkstream')) {
      mkstream = true;
      i++;
    } else if ((sub === 'create' || sub === 'setid') && isWord(argv[i], 'entriesread') && i + 1 < argv.length) {
      const n = parseInt64(argv[i + 1]);
      if (n === null) throw E.NOT_INTEGER;
      if (n < -1) throw E.ENTRIESREAD_RANGE;
      entriesRead = n;
      i += 2;
    } else throw E.subcommandSyntax(argv[1].toString(), 'xgroup');
  }
  const s = getStreamForWrite(c, keyOf(argv[2]));
  const groupName = argv[3].toString('latin1');
  let group: ConsumerGroup | undefined;
  if (!mkstream) {
    if (s === null) throw E.XGROUP_NEED_STREAM;
    group = s.groups.get(groupName);
    if (group === undefined && sub !== 'create' && sub !== 'destroy') throw E.noGroupForKey(keyOf(argv[2]), groupName);
  }
  return { s, group, mkstream, entriesRead };
}

const keySpec = (flags: string[]) => [singleKey(2, flags)];
const base = {
  ...stream,
  firstKey: 2,
  lastKey: 2,
  step: 1,
};

const idArg = oneof('id-selector', [arg('id', 'string'), token('$', { name: 'new-id' })]);

const create: CommandSpec = {
  ...base,
  name: 'create',
  arity: -5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'stream', 'slow'],
  keySpecs: keySpec(['RW', 'insert']),
  summary: 'Creates a consumer group.',
  since: '5.0.0',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the `entries_read` named argument.']],
  arguments: [
    key('key'),
    arg('group', 'string'),
    idArg,
    token('MKSTREAM', { optional: true }),
    arg('entriesread', 'integer', { token: 'ENTRIESREAD', optional: true, display: 'entries-read' }),
  ],
  handler(c, argv) {
    const p = prologue(c, argv, 'create');
    if (argv.length > 8) throw E.subcommandSyntax(argv[1].toString(), 'xgroup');
    const idArgv = argv[4];
    const isDollar = idArgv.length === 1 && idArgv[0] === 0x24;
    const id = isDollar ? (p.s ? p.s.lastId : MIN_ID) : strictId(idArgv);
    const groupName = argv[3].toString('latin1');
    const k = keyOf(argv[2]);
    if (p.s !== null && p.s.groups.has(groupName)) throw E.BUSYGROUP;
    // MKSTREAM creates the stream only now that nothing can fail any more.
    const s = p.s ?? getOrCreateStream(c, k).stream;
    s.groups.set(groupName, new ConsumerGroup(groupName, id, capEntriesRead(s, p.entriesRead)));
    c.server.dirty++;
    c.reply.ok();
    c.server.notify('t', 'xgroup-create', k, c.db.id);
  },
};

const setid: CommandSpec = {
  ...base,
  name: 'setid',
  arity: -5,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keySpecs: keySpec(['RW', 'update']),
  summary: 'Sets the last-delivered ID of a consumer group.',
  since: '5.0.0',
  complexity: 'O(1)',
  history: [['7.0.0', 'Added the optional `entries_read` argument.']],
  arguments: [
    key('key'),
    arg('group', 'string'),
    idArg,
    arg('entriesread', 'integer', { token: 'ENTRIESREAD', optional: true, display: 'entries-read' }),
  ],
  handler(c, argv) {
    const p = prologue(c, argv, 'setid');
    if (argv.length !== 5 && argv.length !== 7) throw E.subcommandSyntax(argv[1].toString(), 'xgroup');
    const idArgv = argv[4];
    const id = idArgv.length === 1 && idArgv[0] === 0x24 ? p.s!.lastId : looseId(idArgv);
    const g = p.group!;
    g.lastId = id;
    g.entriesRead = capEntriesRead(p.s, p.entriesRead);
    c.server.dirty++;
    c.reply.ok();
    c.server.notify('t', 'xgroup-setid', keyOf(argv[2]), c.db.id);
  },
};

const destroy: CommandSpec = {
  ...base,
  name: 'destroy',
  arity: 4,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keySpecs: keySpec(['RW', 'delete']),
  summary: 'Destroys a consumer group.',
  since: '5.0.0',
  complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
  arguments: [key('key'), arg('group', 'string')],
  handler(c, argv) {
    const p = prologue(c, argv, 'destroy');
    if (p.group === undefined) {
      c.reply.int(0);
      return;
    }
    const k = keyOf(argv[2]);
    p.s!.groups.delete(p.group.name);
    c.server.dirty++;
    c.reply.int(1);
    c.server.notify('t', 'xgroup-destroy', k, c.db.id);
    // Readers blocked on this group must wake up and get NOGROUP.
    c.server.blocking.signal(c.db, k);
  },
};

const createconsumer: CommandSpec = {
  ...base,
  name: 'createconsumer',
  arity: 5,
  flags: ['write', 'denyoom'],
  acl: ['write', 'stream', 'slow'],
  keySpecs: keySpec(['RW', 'insert']),
  summary: 'Creates a consumer in a consumer group.',
  since: '6.2.0',
  complexity: 'O(1)',
  arguments: [key('key'), arg('group', 'string'), arg('consumer', 'string')],
  handler(c, argv) {
    const p = prologue(c, argv, 'createconsumer');
    const created = p.group!.createConsumer(argv[4].toString('latin1'), Date.now());
    if (created === null) {
      c.reply.int(0);
      return;
    }
    c.server.dirty++;
    c.reply.int(1);
    c.server.notify('t', 'xgroup-createconsumer', keyOf(argv[2]), c.db.id);
  },
};

const delconsumer: CommandSpec = {
  ...base,
  name: 'delconsumer',
  arity: 5,
  flags: ['write'],
  acl: ['write', 'stream', 'slow'],
  keySpecs: keySpec(['RW', 'delete']),
  summary: 'Deletes a consumer from a consumer group.',
  since: '5.0.0',
  complexity: 'O(1)',
  arguments: [key('key'), arg('group', 'string'), arg('consumer', 'string')],
  handler(c, argv) {
    const p = prologue(c, argv, 'delconsumer');
    const g = p.group!;
    const consumer = g.getConsumer(argv[4].toString('latin1'));
    if (consumer === undefined) {
      c.reply.int(0);
      return;
    }
    const pending = g.deleteConsumer(consumer);
    c.server.dirty++;
    c.reply.int(pending);
    c.server.notify('t', 'xgroup-delconsumer', keyOf(argv[2]), c.db.id);
  },
};

/** XGROUP HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['create', ['CREATE <key> <groupname> <id|$> [option]', '    Create a new consumer group. Options are:', '    * MKSTREAM', '      Create the empty stream if it does not exist.', '    * ENTRIESREAD entries_read', "      Set the group's entries_read counter (internal use)."]],
  ['createconsumer', ['CREATECONSUMER <key> <groupname> <consumer>', '    Create a new consumer in the specified group.']],
  ['delconsumer', ['DELCONSUMER <key> <groupname> <consumer>', '    Remove the specified consumer.']],
  ['destroy', ['DESTROY <key> <groupname>', '    Remove the specified group.']],
  ['setid', ['SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]', '    Set the current group ID and entries_read counter.']],
];

const help = streamHelpSubcommand('xgroup', HELP);

export const xgroup: CommandSpec = {
  ...stream,
  name: 'xgroup',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  summary: 'A container for consumer groups commands.',
  since: '5.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [create, createconsumer, help, setid, delconsumer, destroy],
};
