/**
 * Script flags (`#!lua flags=no-writes,allow-oom`) and function flags:
 * Redis's scripts_flags_def, and the EVAL shebang parser.
 */
import * as E from '../errors.js';

export interface ScriptFlags {
  /** No shebang: Redis's EVAL compatibility mode (flags come from the commands it runs). */
  compat: boolean;
  noWrites: boolean;
  allowOom: boolean;
  allowStale: boolean;
  noCluster: boolean;
  allowCrossSlot: boolean;
}

export const FLAG_NAMES: [keyof ScriptFlags, string][] = [
  ['noWrites', 'no-writes'],
  ['allowOom', 'allow-oom'],
  ['allowStale', 'allow-stale'],
  ['noCluster', 'no-cluster'],
  ['allowCrossSlot', 'allow-cross-slot-keys'],
];

export function noFlags(compat: boolean): ScriptFlags {
  return { compat, noWrites: false, allowOom: false, allowStale: false, noCluster: false, allowCrossSlot: false };
}

export interface CachedScript {
  body: Buffer;
  ref: number;
  flags: ScriptFlags;
}

/** Parses a `#!lua flags=a,b` first line (evalExtractShebangFlags); throws the Redis error. Returns flags and the shebang length. */
export function parseShebang(body: Buffer): { flags: ScriptFlags; skip: number } {
  if (body[0] !== 35 || body[1] !== 33) return { flags: noFlags(true), skip: 0 };
  const nl = body.indexOf(10);
  if (nl < 0) throw E.shebang('Invalid script shebang');
  const parts = body.toString('latin1', 0, nl).split(/[ \t\r]+/).filter(Boolean);
  if (parts.length === 0) throw E.shebang('Invalid engine in script shebang');
  if (parts[0] !== '#!lua') throw E.shebang(`Unexpected engine in script shebang: ${parts[0]}`);
  const flags = noFlags(false);
  for (const p of parts.slice(1)) {
    if (!p.startsWith('flags=')) throw E.shebang(`Unknown lua shebang option: ${p}`);
    const list = p.slice(6);
    if (list === '') continue;
    for (const f of list.split(',')) {
      const known = FLAG_NAMES.find(([, n]) => n === f);
      if (!known) throw E.shebang(`Unexpected flag in script shebang: ${f}`);
      flags[known[0]] = true;
    }
  }
  return { flags, skip: nl };
}

