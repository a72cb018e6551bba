/**
 * SCRIPT LOAD | EXISTS | FLUSH | KILL | HELP | DEBUG: the EVAL script cache.
 * Scripts are never propagated (effects replication); FLUSHALL leaves the
 * cache alone, SCRIPT FLUSH empties it.
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { scriptingOf } from '../../lib/scripting/index.js';

/** Redis's addReplyHelp: the header, the lines, then HELP. */
export function replyHelp(c: Session, cmd: string, lines: readonly string[]): void {
  c.reply.array(lines.length + 3);
  c.reply.simple(`${cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) c.reply.simple(l);
  c.reply.simple('HELP');
  c.reply.simple('    Print this help.');
}

const HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

export const scriptLoad: CommandSpec = {
  "name": "load",
  "arity": 3,
  "flags": [
    "noscript",
    "stale"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "tips": [
    "request_policy:all_nodes",
    "response_policy:all_succeeded"
  ],
  "summary": "Loads a server-side Lua script to the script cache.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "O(N) with N being the length in bytes of the script body.",
  "arguments": [
    {
      "name": "script",
      "type": "string"
    }
  ],
  "handler": (c, argv) => {
    const s = scriptingOf(c.server);
    if (!s.ready(c, argv)) return;
    const { sha } = s.loadScript(argv[2]);
    c.reply.bulk(sha);
  },
};

export const scriptExists: CommandSpec = {
  "name": "exists",
  "arity": -3,
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
    "request_policy:all_shards",
    "response_policy:agg_logical_and"
  ],
  "summary": "Determines whether server-side Lua scripts exist in the script cache.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
  "arguments": [
    {
      "name": "sha1",
      "type": "string",
      "multiple": true
    }
  ],
  "handler": (c, argv) => {
    const scripts = scriptingOf(c.server).scripts;
    c.reply.array(argv.length - 2);
    for (let i = 2; i < argv.length; i++) c.reply.int(scripts.has(argv[i].toString('latin1')) ? 1 : 0);
  },
};

export const scriptFlush: CommandSpec = {
  "name": "flush",
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
    "request_policy:all_nodes",
    "response_policy:all_succeeded"
  ],
  "summary": "Removes all server-side Lua scripts from the script cache.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "O(N) with N being the number of scripts in cache",
  "history": [
    [
      "6.2.0",
      "Added the `ASYNC` and `SYNC` flushing mode modifiers."
    ]
  ],
  "arguments": [
    {
      "name": "flush-type",
      "type": "oneof",
      "since": "6.2.0",
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
    if (argv.length > 3 || (argv.length === 3 && !['sync', 'async'].includes(argv[2].toString('latin1').toLowerCase()))) throw E.SCRIPT_FLUSH_OPTION;
    scriptingOf(c.server).flushScripts();
    c.reply.ok();
  },
};

export const scriptKill: CommandSpec = {
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
  "summary": "Terminates a server-side Lua script during execution.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "O(1)",
  "handler": (c) => {
    scriptingOf(c.server).kill(true);
    c.reply.ok();
  },
};

export const scriptHelp: CommandSpec = {
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
  "since": "5.0.0",
  "group": "scripting",
  "complexity": "O(1)",
  "handler": (c) => replyHelp(c, 'SCRIPT', HELP),
};

export const scriptDebug: CommandSpec = {
  "name": "debug",
  "arity": 3,
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
  "summary": "Sets the debug mode of server-side Lua scripts.",
  "since": "3.2.0",
  "group": "scripting",
  "complexity": "O(1)",
  "arguments": [
    {
      "name": "mode",
      "type": "oneof",
      "arguments": [
        {
          "name": "yes",
          "type": "pure-token",
          "token": "YES"
        },
        {
          "name": "sync",
          "type": "pure-token",
          "token": "SYNC"
        },
        {
          "name": "no",
          "type": "pure-token",
          "token": "NO"
        }
      ]
    }
  ],
  "handler": (c, argv) => {
    const mode = argv[2].toString('latin1').toLowerCase();
    if (mode === 'no') {
      c.reply.ok();
      return;
    }
    if (mode === 'yes' || mode === 'sync') throw E.SCRIPT_DEBUG_UNSUPPORTED;
    throw E.SCRIPT_DEBUG_MODE;
  },
};

export const script: CommandSpec = {
  ...{
  "name": "script",
  "arity": -2,
  "flags": [],
  "acl": [
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "summary": "A container for Lua scripts management commands.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "Depends on subcommand."
},
  subcommands: [scriptDebug, scriptExists, scriptFlush, scriptHelp, scriptKill, scriptLoad],
};
