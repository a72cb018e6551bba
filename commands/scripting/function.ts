/**
 * FUNCTION LOAD | LIST | DELETE | FLUSH | DUMP | RESTORE | STATS | KILL |
 * HELP: Redis 7 function libraries. LOAD, DELETE, FLUSH and RESTORE change
 * the server's state and are propagated as sent, so the AOF replays them;
 * a rewrite writes one FUNCTION LOAD per library at the top of the base
 * file (as Redis's rewriteFunctions). FLUSHALL leaves libraries alone.
 *
 * DUMP's payload is Redis's: RDB_OPCODE_FUNCTION2 and the library code as an
 * RDB string per library, then the RDB version (2 bytes, little-endian) and
 * a CRC64 (Jones, little-endian) of everything before it.
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { globMatch } from '../../lib/glob.js';
import { scriptingOf } from '../../lib/scripting/index.js';
import { encodeFunctionsDump, decodeFunctionsDump } from '../../lib/scripting/dump.js';
import { replyHelp } from './script.js';

const HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

function loadHandler(c: Session, argv: Buffer[]): void {
  let replace = false;
  let i = 2;
  for (; i < argv.length - 1; i++) {
    const w = argv[i].toString('latin1').toLowerCase();
    if (w === 'replace') replace = true;
    else throw E.functionUnknownOption(argv[i].toString());
  }
  if (i >= argv.length) throw E.FUNCTION_CODE_MISSING;
  if (!scriptingOf(c.server).ready(c, argv)) return;
  const fns = scriptingOf(c.server).functions;
  let name: string;
  try {
    name = fns.load(argv[argv.length - 1], replace);
  } catch (err) {
    throw E.functionLoad((err as Error).message);
  }
  c.server.dirty++;
  c.reply.bulk(name);
}

function listHandler(c: Session, argv: Buffer[]): void {
  let pattern: Buffer | null = null;
  let withCode = false;
  for (let i = 2; i < argv.length; i++) {
    const w = argv[i].toString('latin1').toLowerCase();
    if (w === 'withcode') {
      withCode = true;
    } else if (w === 'libraryname') {
      if (i + 1 >= argv.length) throw E.FUNCTION_LIST_NO_LIBNAME;
      pattern = argv[++i];
    } else throw E.functionListUnknownArg(argv[i].toString());
  }
  const libs = [...scriptingOf(c.server).functions.libraries.values()].filter(
    (l) => pattern === null || globMatch(pattern, Buffer.from(l.name), false),
  );
  const w = c.reply;
  w.array(libs.length);
  for (const lib of libs) {
    w.map(withCode ? 4 : 3);
    w.bulk('library_name');
    w.bulk(lib.name);
    w.bulk('engine');
    w.bulk(lib.engine);
    w.bulk('functions');
    w.array(lib.functions.size);
    for (const f of lib.functions.values()) {
      w.map(3);
      w.bulk('name');
      w.bulk(f.name);
      w.bulk('description');
      if (f.description === null) w.nullBulk();
      else w.bulk(f.description);
      w.bulk('flags');
      w.set(f.flagNames.length);
      for (const n of f.flagNames) w.simple(n);
    }
    if (withCode) {
      w.bulk('library_code');
      w.bulk(lib.code);
    }
  }
}

function flushMode(argv: Buffer[]): void {
  if (argv.length === 2) return;
  const w = argv[2].toString('latin1').toLowerCase();
  if (argv.length === 3 && (w === 'sync' || w === 'async')) return;
  throw E.FUNCTION_FLUSH_OPTION;
}

export const functionLoad: CommandSpec = {
  "name": "load",
  "arity": -3,
  "flags": [
    "noscript",
    "write",
    "denyoom"
  ],
  "acl": [
    "scripting",
    "write",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "request_policy:all_shards",
    "response_policy:all_succeeded"
  ],
  "summary": "Creates a library.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(1) (considering compilation time is redundant)",
  "arguments": [
    {
      "name": "replace",
      "type": "pure-token",
      "token": "REPLACE",
      "optional": true
    },
    {
      "name": "function-code",
      "type": "string"
    }
  ],
  "handler": loadHandler,
};

export const functionList: CommandSpec = {
  "name": "list",
  "arity": -2,
  "flags": [
    "noscript"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "nondeterministic_output_order"
  ],
  "summary": "Returns information about all libraries.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(N) where N is the number of functions",
  "arguments": [
    {
      "name": "library-name-pattern",
      "type": "string",
      "token": "LIBRARYNAME",
      "optional": true
    },
    {
      "name": "withcode",
      "type": "pure-token",
      "token": "WITHCODE",
      "optional": true
    }
  ],
  "handler": listHandler,
};

export const functionDelete: CommandSpec = {
  "name": "delete",
  "arity": 3,
  "flags": [
    "noscript",
    "write"
  ],
  "acl": [
    "scripting",
    "write",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "request_policy:all_shards",
    "response_policy:all_succeeded"
  ],
  "summary": "Deletes a library and its functions.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(1)",
  "arguments": [
    {
      "name": "library-name",
      "type": "string"
    }
  ],
  "handler": (c, argv) => {
    if (!scriptingOf(c.server).functions.delete(argv[2].toString())) throw E.LIBRARY_NOT_FOUND;
    c.server.dirty++;
    c.reply.ok();
  },
};

export const functionFlush: CommandSpec = {
  "name": "flush",
  "arity": -2,
  "flags": [
    "noscript",
    "write"
  ],
  "acl": [
    "scripting",
    "write",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "request_policy:all_shards",
    "response_policy:all_succeeded"
  ],
  "summary": "Deletes all libraries and functions.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(N) where N is the number of functions deleted",
  "arguments": [
    {
      "name": "flush-type",
      "type": "oneof",
      "optional": true,
      "arguments": [
        {
          "name": "async",
          "type": "pure-token",
          "token": "ASYNC"
        },
        {
          "name": "sync",
          "type": "pure-token",
          "token": "SYNC"
        }
      ]
    }
  ],
  "handler": (c, argv) => {
    flushMode(argv);
    scriptingOf(c.server).functions.flush();
    c.server.dirty++;
    c.reply.ok();
  },
};

export const functionDump: CommandSpec = {
  "name": "dump",
  "arity": 2,
  "flags": [
    "noscript"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "summary": "Dumps all libraries into a serialized binary payload.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(N) where N is the number of functions",
  "handler": (c) => {
    c.reply.bulk(encodeFunctionsDump([...scriptingOf(c.server).functions.libraries.values()].map((l) => l.code)));
  },
};

export const functionRestore: CommandSpec = {
  "name": "restore",
  "arity": -3,
  "flags": [
    "noscript",
    "write",
    "denyoom"
  ],
  "acl": [
    "scripting",
    "write",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "request_policy:all_shards",
    "response_policy:all_succeeded"
  ],
  "summary": "Restores all libraries from a payload.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(N) where N is the number of functions on the payload",
  "arguments": [
    {
      "name": "serialized-value",
      "type": "string"
    },
    {
      "name": "policy",
      "type": "oneof",
      "optional": true,
      "arguments": [
        {
          "name": "flush",
          "type": "pure-token",
          "token": "FLUSH"
        },
        {
          "name": "append",
          "type": "pure-token",
          "token": "APPEND"
        },
        {
          "name": "replace",
          "type": "pure-token",
          "token": "REPLACE"
        }
      ]
    }
  ],
  "handler": (c, argv) => {
    let policy = 'append';
    if (argv.length > 4) throw E.SYNTAX;
    if (argv.length === 4) {
      policy = argv[3].toString('latin1').toLowerCase();
      if (policy !== 'flush' && policy !== 'append' && policy !== 'replace') throw E.FUNCTION_RESTORE_POLICY;
    }
    const codes = decodeFunctionsDump(argv[2]);
    if (codes === null) throw E.FUNCTION_DUMP_PAYLOAD;
    if (!scriptingOf(c.server).ready(c, argv)) return;
    try {
      scriptingOf(c.server).functions.restore(codes, policy as 'flush' | 'append' | 'replace');
    } catch (err) {
      throw E.functionLoad((err as Error).message);
    }
    c.server.dirty++;
    c.reply.ok();
  },
};

export const functionStats: CommandSpec = {
  "name": "stats",
  "arity": 2,
  "flags": [
    "noscript",
    "allow_busy"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "nondeterministic_output",
    "request_policy:all_shards",
    "response_policy:special"
  ],
  "summary": "Returns information about a function during execution.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(1)",
  "handler": (c) => {
    const s = scriptingOf(c.server);
    const w = c.reply;
    w.map(2);
    w.bulk('running_script');
    const r = s.running;
    if (!r) w.nullBulk();
    else {
      w.map(3);
      w.bulk('name');
      w.bulk(r.run.ctx.funcname);
      w.bulk('command');
      w.array(r.argv.length);
      for (const a of r.argv) w.bulk(a);
      w.bulk('duration_ms');
      w.int(Date.now() - r.run.ctx.start);
    }
    w.bulk('engines');
    w.map(1);
    w.bulk('LUA');
    w.map(2);
    w.bulk('libraries_count');
    w.int(s.functions.libraries.size);
    w.bulk('functions_count');
    w.int(s.functions.functions.size);
  },
};

export const functionKill: CommandSpec = {
  "name": "kill",
  "arity": 2,
  "flags": [
    "noscript",
    "allow_busy"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "request_policy:all_shards",
    "response_policy:one_succeeded"
  ],
  "summary": "Terminates a function during execution.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(1)",
  "handler": (c) => {
    scriptingOf(c.server).kill(false);
    c.reply.ok();
  },
};

export const functionHelp: CommandSpec = {
  "name": "help",
  "arity": 2,
  "flags": [
    "loading",
    "stale"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "summary": "Returns helpful text about the different subcommands.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "O(1)",
  "handler": (c) => replyHelp(c, 'FUNCTION', HELP),
};

export const functionCmd: CommandSpec = {
  ...{
  "name": "function",
  "arity": -2,
  "flags": [],
  "acl": [
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "summary": "A container for function commands.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "Depends on subcommand."
},
  subcommands: [functionDelete, functionDump, functionFlush, functionHelp, functionKill, functionList, functionLoad, functionRestore, functionStats],
};
