/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO: run a Lua script (cached by its SHA1).
 *
 * Order of checks as in Redis's evalGenericCommand: numkeys (integer, not
 * above the argument count, not negative), then the script (NOSCRIPT for an
 * unknown SHA1; shebang and compile errors for a new body), then the flag
 * checks of scriptPrepareForRun (MISCONF, *_RO with a writing script, OOM).
 * Each body is compiled once and cached under its SHA1, as Redis does.
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { intArg } from '../../lib/args.js';
import { scriptingOf, type CachedScript } from '../../lib/scripting/index.js';

/** numkeys → [keys, args] (shared by EVAL* and FCALL*). */
export function splitKeys(argv: Buffer[], notInteger: E.ReplyError = E.NOT_INTEGER): { keys: Buffer[]; args: Buffer[] } {
  const numkeys = intArg(argv[2], notInteger);
  if (numkeys > argv.length - 3) throw E.NUMKEYS_TOO_MANY;
  if (numkeys < 0) throw E.NUMKEYS_NEGATIVE;
  return { keys: argv.slice(3, 3 + numkeys), args: argv.slice(3 + numkeys) };
}

function evalGeneric(c: Session, argv: Buffer[], evalsha: boolean, ro: boolean): void {
  const s = scriptingOf(c.server);
  if (!evalsha && !s.ready(c, argv)) return;
  // Before anything else (Redis's evalCommand), so the script's commands follow it in MONITOR.
  c.server.ops.feedMonitors(c, argv);
  const { keys, args } = splitKeys(argv);
  let sha: string;
  let script: CachedScript | undefined;
  if (evalsha) {
    sha = argv[1].toString('latin1').toLowerCase();
    script = s.scripts.get(sha);
    if (!script) throw E.NOSCRIPT;
  } else {
    ({ sha, script } = s.loadScript(argv[1]));
  }
  const refusal = s.prepare(script.flags, ro);
  if (refusal) throw refusal;
  s.run(c, s.evalEngine, script.ref, keys, args, { funcname: sha, flags: script.flags, ro, isEval: true, argv });
}

export const evalCmd: CommandSpec = {
  "name": "eval",
  "arity": -3,
  "flags": [
    "noscript",
    "skip_monitor",
    "may_replicate",
    "no_mandatory_keys",
    "stale"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "keySpecs": [
    {
      "flags": [
        "RW",
        "access",
        "update"
      ],
      "notes": "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE",
      "beginSearch": {
        "index": 2
      },
      "findKeys": {
        "keyNumIdx": 0,
        "firstKey": 1,
        "keyStep": 1
      }
    }
  ],
  "summary": "Executes a server-side Lua script.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "Depends on the script that is executed.",
  "arguments": [
    {
      "name": "script",
      "type": "string"
    },
    {
      "name": "numkeys",
      "type": "integer"
    },
    {
      "name": "key",
      "type": "key",
      "keySpecIndex": 0,
      "optional": true,
      "multiple": true
    },
    {
      "name": "arg",
      "type": "string",
      "optional": true,
      "multiple": true
    }
  ],
  "handler": (c, argv) => evalGeneric(c, argv, false, false),
};

export const evalsha: CommandSpec = {
  "name": "evalsha",
  "arity": -3,
  "flags": [
    "noscript",
    "skip_monitor",
    "may_replicate",
    "no_mandatory_keys",
    "stale"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "keySpecs": [
    {
      "flags": [
        "RW",
        "access",
        "update"
      ],
      "beginSearch": {
        "index": 2
      },
      "findKeys": {
        "keyNumIdx": 0,
        "firstKey": 1,
        "keyStep": 1
      }
    }
  ],
  "summary": "Executes a server-side Lua script by SHA1 digest.",
  "since": "2.6.0",
  "group": "scripting",
  "complexity": "Depends on the script that is executed.",
  "arguments": [
    {
      "name": "sha1",
      "type": "string"
    },
    {
      "name": "numkeys",
      "type": "integer"
    },
    {
      "name": "key",
      "type": "key",
      "keySpecIndex": 0,
      "optional": true,
      "multiple": true
    },
    {
      "name": "arg",
      "type": "string",
      "optional": true,
      "multiple": true
    }
  ],
  "handler": (c, argv) => evalGeneric(c, argv, true, false),
};

export const evalRo: CommandSpec = {
  "name": "eval_ro",
  "arity": -3,
  "flags": [
    "noscript",
    "skip_monitor",
    "no_mandatory_keys",
    "stale",
    "readonly"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "keySpecs": [
    {
      "flags": [
        "RO",
        "access"
      ],
      "notes": "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS",
      "beginSearch": {
        "index": 2
      },
      "findKeys": {
        "keyNumIdx": 0,
        "firstKey": 1,
        "keyStep": 1
      }
    }
  ],
  "summary": "Executes a read-only server-side Lua script.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "Depends on the script that is executed.",
  "arguments": [
    {
      "name": "script",
      "type": "string"
    },
    {
      "name": "numkeys",
      "type": "integer"
    },
    {
      "name": "key",
      "type": "key",
      "keySpecIndex": 0,
      "optional": true,
      "multiple": true
    },
    {
      "name": "arg",
      "type": "string",
      "optional": true,
      "multiple": true
    }
  ],
  "handler": (c, argv) => evalGeneric(c, argv, false, true),
};

export const evalshaRo: CommandSpec = {
  "name": "evalsha_ro",
  "arity": -3,
  "flags": [
    "noscript",
    "skip_monitor",
    "no_mandatory_keys",
    "stale",
    "readonly"
  ],
  "acl": [
    "scripting",
    "slow"
  ],
  "firstKey": 0,
  "lastKey": 0,
  "step": 0,
  "keySpecs": [
    {
      "flags": [
        "RO",
        "access"
      ],
      "beginSearch": {
        "index": 2
      },
      "findKeys": {
        "keyNumIdx": 0,
        "firstKey": 1,
        "keyStep": 1
      }
    }
  ],
  "summary": "Executes a read-only server-side Lua script by SHA1 digest.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "Depends on the script that is executed.",
  "arguments": [
    {
      "name": "sha1",
      "type": "string"
    },
    {
      "name": "numkeys",
      "type": "integer"
    },
    {
      "name": "key",
      "type": "key",
      "keySpecIndex": 0,
      "optional": true,
      "multiple": true
    },
    {
      "name": "arg",
      "type": "string",
      "optional": true,
      "multiple": true
    }
  ],
  "handler": (c, argv) => evalGeneric(c, argv, true, true),
};
