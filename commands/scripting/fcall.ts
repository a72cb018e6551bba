/**
 * FCALL, FCALL_RO: call a function registered by a FUNCTION LOAD library,
 * with its keys and arguments as the callback's two tables. A function
 * always runs with the flags it was registered with (there is no EVAL
 * compatibility mode for functions).
 */
import type { CommandSpec } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { scriptingOf } from '../../lib/scripting/index.js';
import { splitKeys } from './eval.js';

function fcallGeneric(c: Session, argv: Buffer[], ro: boolean): void {
  const s = scriptingOf(c.server);
  // Before anything else (Redis's fcallCommandGeneric), so the function's commands follow it in MONITOR.
  c.server.ops.feedMonitors(c, argv);
  const fn = s.functions.functions.get(argv[1].toString());
  if (!fn) throw E.FUNCTION_NOT_FOUND;
  const { keys, args } = splitKeys(argv, E.FCALL_BAD_NUMKEYS);
  const refusal = s.prepare(fn.flags, ro);
  if (refusal) throw refusal;
  s.run(c, s.fnEngine, fn.ref, keys, args, { funcname: fn.name, flags: fn.flags, ro, isEval: false, argv });
}

export const fcall: CommandSpec = {
  "name": "fcall",
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
  "summary": "Invokes a function.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "Depends on the function that is executed.",
  "arguments": [
    {
      "name": "function",
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
  "handler": (c, argv) => fcallGeneric(c, argv, false),
};

export const fcallRo: CommandSpec = {
  "name": "fcall_ro",
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
  "summary": "Invokes a read-only function.",
  "since": "7.0.0",
  "group": "scripting",
  "complexity": "Depends on the function that is executed.",
  "arguments": [
    {
      "name": "function",
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
  "handler": (c, argv) => fcallGeneric(c, argv, true),
};
