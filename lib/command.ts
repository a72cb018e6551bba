/**
 * The shape of a command declaration. Each file in commands/ exports one (or a
 * tight family of) CommandSpec objects with Redis's own field names; the
 * dispatcher, COMMAND INFO/DOCS/COUNT/LIST/GETKEYS and the README table all
 * read these objects, so nothing about a command is written twice.
 */
import type { Session } from './engine/session.js';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy'
  | 'module';

export type ArgType = 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

/** One node of a command's argument tree, as COMMAND DOCS reports it. */
export interface ArgSpec {
  name: string;
  type: ArgType;
  /** Index into the command's keySpecs (for `key` arguments). */
  keySpecIndex?: number;
  token?: string;
  summary?: string;
  since?: string;
  optional?: boolean;
  multiple?: boolean;
  multipleToken?: boolean;
  /** Text shown for the argument (defaults to name). */
  display?: string;
  arguments?: ArgSpec[];
}

/** Redis 7 key specification: where the key arguments are. */
export interface KeySpec {
  flags: string[];
  notes?: string;
  /** `unknown`: the keys cannot be found from the arguments' positions (SORT's BY/GET/STORE); `getKeys` finds them. */
  beginSearch: { index: number } | { keyword: string; startFrom: number } | { unknown: true };
  findKeys: { lastKey: number; keyStep: number; limit: number } | { keyNumIdx: number; firstKey: number; keyStep: number } | { unknown: true };
}

export type Handler = (c: Session, argv: Buffer[]) => void;

export interface CommandSpec {
  /** Lower-case name; subcommands use just their own name (`create`), containers list them in `subcommands`. */
  name: string;
  /** Redis arity: positive = exact argc, negative = at least -arity. Counts the command name (and, for subcommands, the container name). */
  arity: number;
  flags: CommandFlag[];
  /** ACL categories without the `@`. */
  acl: string[];
  /** Legacy (first, last, step) key positions, as COMMAND INFO's 4th–6th fields. */
  firstKey: number;
  lastKey: number;
  step: number;
  keySpecs?: KeySpec[];
  tips?: string[];
  // ---- docs ----
  summary: string;
  since: string;
  group: string;
  complexity?: string;
  history?: [string, string][];
  docFlags?: string[];
  deprecatedSince?: string;
  replacedBy?: string;
  arguments?: ArgSpec[];
  /** For container commands (XGROUP, CONFIG, ...): the subcommands. */
  subcommands?: CommandSpec[];
  /** Absent on container commands, which dispatch to a subcommand. */
  handler?: Handler;
  /**
   * For key specs with `variable_flags`: the flags key spec `specIndex` has
   * for these arguments (Redis's getkeys_proc, e.g. SET is OW without GET, RW
   * with it), or undefined to report the spec's declared flags.
   */
  keyFlags?: (argv: readonly Buffer[], specIndex: number) => readonly string[] | undefined;
  /** Redis's CMD_PROTECTED: refused unless this config (enable-debug-command) allows the client. */
  protectedBy?: 'enable-debug-command' | 'enable-module-command';
  /** Custom key extraction for COMMAND GETKEYS when key specs cannot express it. */
  getKeys?: (argv: Buffer[]) => number[];
}

/** Indices of the key arguments in argv, following the key specs (or legacy positions). */
export function keyIndices(spec: CommandSpec, argv: readonly Buffer[]): number[] {
  if (spec.getKeys) return spec.getKeys(argv as Buffer[]);
  const argc = argv.length;
  const out: number[] = [];
  if (!spec.keySpecs || spec.keySpecs.length === 0) {
    if (spec.firstKey <= 0) return out;
    const last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
    for (let i = spec.firstKey; i <= last && i < argc; i += spec.step) out.push(i);
    return out;
  }
  for (const ks of spec.keySpecs) {
    let begin: number;
    if ('unknown' in ks.beginSearch || 'unknown' in ks.findKeys) continue;
    if ('index' in ks.beginSearch) {
      begin = ks.beginSearch.index;
    } else {
      const kw = ks.beginSearch.keyword.toLowerCase();
      const from = ks.beginSearch.startFrom;
      begin = -1;
      if (from >= 0) {
        for (let i = from; i < argc; i++) if (argv[i].toString().toLowerCase() === kw) { begin = i + 1; break; }
      } else {
        for (let i = argc + from; i > 0; i--) if (argv[i].toString().toLowerCase() === kw) { begin = i + 1; break; }
      }
      if (begin === -1) continue;
    }
    if (begin >= argc) continue;
    const fk = ks.findKeys;
    if ('lastKey' in fk) {
      let last: number;
      if (fk.lastKey >= 0) last = begin + fk.lastKey;
      else if (fk.limit > 1) last = begin + Math.floor((argc - begin) / fk.limit) - 1;
      else last = argc + fk.lastKey;
      for (let i = begin; i <= last && i < argc; i += fk.keyStep) out.push(i);
    } else {
      const n = Number(argv[begin + fk.keyNumIdx]?.toString());
      if (!Number.isInteger(n) || n < 0) continue;
      const first = begin + fk.firstKey;
      for (let k = 0, i = first; k < n && i < argc; k++, i += fk.keyStep) out.push(i);
    }
  }
  return out;
}

/** Arity check as Redis does it. */
export function arityOk(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}

// ---- small builders so command files stay short -----------------------------

/** A key spec for a single key at argv[index]. */
export function singleKey(index: number, flags: string[]): KeySpec {
  return { flags, beginSearch: { index }, findKeys: { lastKey: 0, keyStep: 1, limit: 0 } };
}

/** A key spec for keys from argv[index] to the end, every `step`. */
export function keysToEnd(index: number, flags: string[], step = 1): KeySpec {
  return { flags, beginSearch: { index }, findKeys: { lastKey: -1, keyStep: step, limit: 0 } };
}

export const key = (name: string, keySpecIndex = 0, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'key', keySpecIndex, ...extra });
export const arg = (name: string, type: ArgType, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type, ...extra });
export const token = (t: string, extra: Partial<ArgSpec> = {}): ArgSpec => ({ name: t.toLowerCase(), type: 'pure-token', token: t, ...extra });
export const oneof = (name: string, args: ArgSpec[], extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'oneof', arguments: args, ...extra });
export const block = (name: string, args: ArgSpec[], extra: Partial<ArgSpec> = {}): ArgSpec => ({ name, type: 'block', arguments: args, ...extra });
