/**
 * The configuration table: every directive rivulet understands, with its type,
 * default, bounds and whether CONFIG SET may change it at run time. The
 * config-file reader, the command line, CONFIG GET/SET/REWRITE and INFO all
 * read this one table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { globMatch } from './glob.js';
import { canonicalKeyspaceEvents, INVALID_EVENT_CLASS } from './keyspace-events.js';
import { REDIS_ONLY_PARAMS, REDIS_ONLY_ALIASES, NOT_ACTED_ON, ignoredSpecialDirective } from './config-redis.js';

type Kind =
  | { type: 'bool' }
  | { type: 'int'; min: number; max: number }
  /** `percent`: Redis's PERCENT_CONFIG — `N%` (0..100) is accepted too and shown as given (maxmemory-clients). */
  | { type: 'memory'; min: number; max: number; percent?: boolean }
  /** An integer written and shown in octal (unixsocketperm). */
  | { type: 'octal'; min: number; max: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  /** A value Redis stores as one space-separated string (bind, save, client-output-buffer-limit). */
  | { type: 'list'; validate?: (args: string[]) => string | null; merge?: (args: string[], prev: string) => string }
  /** A word with its own grammar (notify-keyspace-events): canonical form, or null → ConfigError(invalid). */
  | { type: 'flags'; canonical: (value: string) => string | null; invalid: string };

export interface ParamDef<N extends string = string> {
  name: N;
  kind: Kind;
  default: string;
  /** false: only from the config file / command line ("can't set immutable config"). */
  mutable: boolean;
  /** Redis's PROTECTED_CONFIG: CONFIG SET refuses it unless enable-protected-configs allows (dir, dbfilename). */
  protected?: boolean;
  /** Hide from CONFIG GET patterns? Never for now; kept for parity with Redis's HIDDEN_CONFIG. */
  alias?: string;
}

// Generic in the name, so the table's names are literal types (DirectiveName, typed createServer options).
const bool = <N extends string>(name: N, def: 'yes' | 'no', mutable = true): ParamDef<N> => ({ name, kind: { type: 'bool' }, default: def, mutable });
const int = <N extends string>(name: N, def: number, min: number, max: number, mutable = true): ParamDef<N> => ({
  name,
  kind: { type: 'int', min, max },
  default: String(def),
  mutable,
});
const mem = <N extends string>(name: N, def: number, min = 0, max = Number.MAX_SAFE_INTEGER, mutable = true): ParamDef<N> => ({
  name,
  kind: { type: 'memory', min, max },
  default: String(def),
  mutable,
});
const enm = <N extends string>(name: N, def: string, values: string[], mutable = true): ParamDef<N> => ({
  name,
  kind: { type: 'enum', values },
  default: def,
  mutable,
});
const str = <N extends string>(name: N, def: string, mutable = true): ParamDef<N> => ({ name, kind: { type: 'string' }, default: def, mutable });
const list = <N extends string>(name: N, def: string, mutable = true, validate?: (args: string[]) => string | null): ParamDef<N> => ({
  name,
  kind: { type: 'list', validate },
  default: def,
  mutable,
});

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;
const UINT_MAX = 4294967295;
/** How Redis prints a bound in "argument must be between ..." (its LONG_MAX is 2^63-1, ours is 2^53-1). */
const showBound = (n: number): string => (n === LONG_MAX ? '9223372036854775807' : String(n));

/**
 * Redis's allowProtectedAction for the enable-protected-configs /
 * enable-debug-command / enable-module-command values: `yes` always, `local`
 * for a loopback (or unix socket) client, `no` never.
 */
export function allowProtectedAction(mode: string, remoteAddress: string | undefined): boolean {
  if (mode === 'yes') return true;
  if (mode !== 'local') return false;
  return isLoopback(remoteAddress);
}

/** Whether a peer address is on the loopback interface; no address (a Unix socket, an internal session) counts as local. */
export function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

export const PARAMS = [
  // network
  int('port', 6379, 0, 65535),
  list('bind', '127.0.0.1 -::1'),
  bool('protected-mode', 'yes'),
  int('tcp-backlog', 511, 0, INT_MAX, false),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  int('maxclients', 10000, 1, UINT_MAX),
  str('unixsocket', '', false),
  { name: 'unixsocketperm', kind: { type: 'octal', min: 0, max: 0o777 }, default: '0', mutable: false },
  // general
  bool('daemonize', 'no', false),
  str('pidfile', '', false),
  enm('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning', 'nothing']),
  str('logfile', '', false),
  int('databases', 16, 1, INT_MAX, false),
  int('hz', 10, 0, INT_MAX),
  { ...str('dir', '', true), protected: true },
  { ...str('dbfilename', 'dump.rdb'), protected: true },
  enm('enable-protected-configs', 'no', ['no', 'yes', 'local'], false),
  // DEBUG (and MODULE, which rivulet does not have) refused unless allowed, as in Redis 7.0+.
  enm('enable-debug-command', 'no', ['no', 'yes', 'local'], false),
  enm('enable-module-command', 'no', ['no', 'yes', 'local'], false),
  list('save', '3600 1 300 100 60 10000', true, validateSave),
  bool('rdbcompression', 'yes'),
  bool('rdbchecksum', 'yes', false),
  bool('stop-writes-on-bgsave-error', 'yes'),
  // security
  str('requirepass', ''),
  // limits
  mem('maxmemory', 0),
  enm('maxmemory-policy', 'noeviction', [
    'volatile-lru',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
    'allkeys-lru',
    'allkeys-lfu',
    'allkeys-random',
    'noeviction',
  ]),
  int('maxmemory-samples', 5, 1, 64),
  mem('proto-max-bulk-len', 512 * 1024 * 1024, 1024 * 1024, LONG_MAX),
  mem('client-query-buffer-limit', 1024 * 1024 * 1024, 1024 * 1024, LONG_MAX),
  {
    ...list('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60'),
    // Setting one class keeps the others, and units are stored as bytes, as Redis shows them.
    kind: { type: 'list', validate: validateObl, merge: mergeObl },
  },
  // append only file
  bool('appendonly', 'no'),
  str('appendfilename', 'appendonly.aof', false),
  str('appenddirname', 'appendonlydir', false),
  enm('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  bool('no-appendfsync-on-rewrite', 'no'),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  mem('auto-aof-rewrite-min-size', 64 * 1024 * 1024),
  bool('aof-load-truncated', 'yes'),
  // rivulet: a record that fails on replay stops the start unless this is yes (then it is logged and skipped, as redis-server does).
  bool('aof-load-failed-records', 'no'),
  bool('aof-use-rdb-preamble', 'no'),
  bool('aof-timestamp-enabled', 'no'),
  // hashes and lists: where Redis switches from listpack to hashtable / quicklist (OBJECT ENCODING)
  int('hash-max-listpack-entries', 512, 0, LONG_MAX),
  mem('hash-max-listpack-value', 64, 0, LONG_MAX),
  int('list-max-listpack-size', -2, -2147483648, INT_MAX),
  int('list-compress-depth', 0, 0, INT_MAX),
  // sets and sorted sets: where Redis changes encoding (OBJECT ENCODING; see lib/types/set.ts, lib/types/zset.ts)
  int('set-max-intset-entries', 512, 0, LONG_MAX),
  int('set-max-listpack-entries', 128, 0, LONG_MAX),
  int('set-max-listpack-value', 64, 0, LONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LONG_MAX),
  mem('zset-max-listpack-value', 64, 0, LONG_MAX),
  // streams
  mem('stream-node-max-bytes', 4096),
  int('stream-node-max-entries', 100, 0, LONG_MAX),
  // Redis 8.6 idempotent production: defaults for streams XCFGSET has not configured.
  int('stream-idmp-duration', 100, 1, 86400),
  int('stream-idmp-maxsize', 100, 1, 10000),
  // metrics: rivulet's own HTTP endpoint (lib/metrics), off while metrics-port is 0
  int('metrics-port', 0, 0, 65535),
  str('metrics-bind', '127.0.0.1'),
  str('metrics-streams', ''),
  int('metrics-streams-max', 100, 0, 100000),
  bool('metrics-actions', 'no'),
  bool('metrics-payloads', 'no'),
  // notifications
  {
    name: 'notify-keyspace-events',
    kind: { type: 'flags', canonical: canonicalKeyspaceEvents, invalid: INVALID_EVENT_CLASS },
    default: '',
    mutable: true,
  },
  // latency and slowlog (accepted so client libraries and configs that set them load)
  int('slowlog-log-slower-than', 10000, -1, LONG_MAX),
  int('slowlog-max-len', 128, 0, LONG_MAX),
  int('latency-monitor-threshold', 0, 0, LONG_MAX),
  bool('lazyfree-lazy-user-del', 'no'),
  bool('lazyfree-lazy-user-flush', 'no'),
  int('lua-time-limit', 5000, 0, LONG_MAX),
  int('busy-reply-threshold', 5000, 0, LONG_MAX),
  // read by client libraries and tools at connect time; rivulet has no cluster, threads or replicas
  { ...mem('maxmemory-clients', 0), kind: { type: 'memory', min: 0, max: LONG_MAX, percent: true } },
  int('maxmemory-eviction-tenacity', 10, 0, 100),
  bool('cluster-enabled', 'no', false),
  int('io-threads', 1, 1, 128, false),
  bool('replica-read-only', 'yes'),
  bool('lazyfree-lazy-eviction', 'no'),
  bool('lazyfree-lazy-expire', 'no'),
  bool('lazyfree-lazy-server-del', 'no'),
  bool('latency-tracking', 'yes'),
] as const satisfies readonly ParamDef[];

/** Every directive name of the table, as a union of string literals (the keys createServer() accepts). */
export type DirectiveName = (typeof PARAMS)[number]['name'];
/** Fails to compile if an entry's name widened to `string` (which would silently accept any option name). */
const namesAreLiterals: string extends DirectiveName ? never : true = true;
void namesAreLiterals;

/** rivulet's table, then every other directive of redis-server 7.4 (lib/config-redis.ts), which rivulet stores but ignores. */
export const ALL_PARAMS: readonly (ParamDef & { hidden?: boolean })[] = [
  ...PARAMS,
  ...REDIS_ONLY_PARAMS.filter((d) => !PARAMS.some((p) => p.name === d.name)),
];
const BY_NAME = new Map<string, ParamDef & { hidden?: boolean }>();
for (const p of ALL_PARAMS) BY_NAME.set(p.name, p);
for (const [alias, name] of REDIS_ONLY_ALIASES) if (!BY_NAME.has(alias)) BY_NAME.set(alias, BY_NAME.get(name)!);
const IGNORED = new Set<string>([...NOT_ACTED_ON, ...REDIS_ONLY_PARAMS.map((d) => d.name).filter((n) => !PARAMS.some((p) => p.name === n))]);
/** Whether rivulet accepts the directive without acting on it (logged once at start when a config sets it). */
export function isIgnoredDirective(name: string): boolean {
  return IGNORED.has(name);
}
/** Old names Redis still accepts. */
BY_NAME.set('lua-time-limit', BY_NAME.get('lua-time-limit')!);

export function paramDef(name: string): ParamDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

function validateSave(args: string[]): string | null {
  if (args.length % 2 !== 0) return 'Invalid save parameters';
  for (const a of args) if (!/^-?\d+$/.test(a)) return 'Invalid save parameters';
  return null;
}

function validateObl(args: string[]): string | null {
  if (args.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let i = 0; i < args.length; i += 4) {
    const cls = args[i].toLowerCase();
    if (!['normal', 'slave', 'replica', 'pubsub'].includes(cls)) return 'Invalid client class specified in buffer limit configuration.';
    for (let j = 1; j < 4; j++) {
      if (parseMemory(args[i + j]) === null) return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    }
  }
  return null;
}

/** Applies validated `class hard soft seconds` groups over the previous value; always lists all three classes in bytes. */
function mergeObl(args: string[], prev: string): string {
  const classes = new Map<string, string>();
  const old = prev.split(' ');
  for (let i = 0; i + 3 < old.length; i += 4) classes.set(old[i], old.slice(i + 1, i + 4).join(' '));
  for (let i = 0; i + 3 < args.length; i += 4) {
    let cls = args[i].toLowerCase();
    if (cls === 'replica') cls = 'slave';
    classes.set(cls, [parseMemory(args[i + 1]), parseMemory(args[i + 2]), parseMemory(args[i + 3])].join(' '));
  }
  return ['normal', 'slave', 'pubsub'].map((c) => `${c} ${classes.get(c) ?? '0 0 0'}`).join(' ');
}

/** Parses Redis memory units: 1k=1000, 1kb=1024, m/mb, g/gb; plain integers. Returns null if invalid. */
export function parseMemory(s: string): number | null {
  const m = /^(-?\d+)(k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mul =
    unit === 'k' ? 1000 : unit === 'kb' ? 1024 : unit === 'm' ? 1e6 : unit === 'mb' ? 1024 * 1024 : unit === 'g' ? 1e9 : unit === 'gb' ? 1024 ** 3 : 1;
  const v = n * mul;
  return Number.isSafeInteger(v) ? v : null;
}

export class ConfigError extends Error {}

export type ChangeListener = (name: string, value: string) => void;

/** Current values, by canonical name. Values are stored as Redis shows them in CONFIG GET. */
export class Config {
  private readonly values = new Map<string, string>();
  /** int() results, so hot paths (XADD reads three per call) skip parsing; apply() drops a changed name. */
  private readonly ints = new Map<string, number>();
  private readonly listeners: ChangeListener[] = [];

  constructor() {
    for (const p of ALL_PARAMS) this.values.set(p.name, p.default);
  }

  /** Sets a value after validation; throws ConfigError with Redis's reason text. Does not check mutability. */
  apply(name: string, args: string[]): void {
    const def = paramDef(name);
    if (!def) throw new ConfigError('Bad directive or wrong number of arguments');
    const value = normalise(def, args, this.values.get(def.name) ?? def.default);
    this.values.set(def.name, value);
    this.ints.delete(def.name);
    for (const l of this.listeners) l(def.name, value);
  }

  onChange(l: ChangeListener): void {
    this.listeners.push(l);
  }

  get(name: string): string {
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`unknown config ${name}`);
    return v;
  }

  int(name: string): number {
    let v = this.ints.get(name);
    if (v === undefined) {
      v = Number(this.get(name));
      this.ints.set(name, v);
    }
    return v;
  }

  bool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Name/value pairs whose names match any of the glob patterns, in table order, each once. */
  match(patterns: string[]): [string, string][] {
    const out: [string, string][] = [];
    for (const p of ALL_PARAMS) {
      // Like Redis's HIDDEN_CONFIG: only an exact name shows a hidden directive.
      const hit = p.hidden ? patterns.some((pat) => pat.toLowerCase() === p.name) : patterns.some((pat) => globMatch(pat, p.name, true));
      if (hit) out.push([p.name, this.get(p.name)]);
    }
    // Redis 7 lists an alias (slave-read-only, hash-max-ziplist-entries) as a name of its own.
    for (const [alias, name] of REDIS_ONLY_ALIASES) {
      if (patterns.some((pat) => globMatch(pat, alias, true))) out.push([alias, this.get(BY_NAME.get(name)!.name)]);
    }
    return out;
  }

  entries(): [string, string][] {
    return ALL_PARAMS.map((p) => [p.name, this.get(p.name)]);
  }
}

/** Validates and converts argument words into the stored form, throwing ConfigError with Redis's wording. */
function normalise(def: ParamDef, args: string[], prev: string): string {
  const k = def.kind;
  if (k.type !== 'list' && args.length !== 1) throw new ConfigError('Bad directive or wrong number of arguments');
  const a = args[0];
  switch (k.type) {
    case 'bool': {
      const v = a.toLowerCase();
      if (v !== 'yes' && v !== 'no') throw new ConfigError("argument must be 'yes' or 'no'");
      return v;
    }
    case 'int': {
      if (!/^-?\d+$/.test(a)) throw new ConfigError("argument couldn't be parsed into an integer");
      const n = Number(a);
      if (n < k.min || n > k.max) throw new ConfigError(`argument must be between ${showBound(k.min)} and ${showBound(k.max)} inclusive`);
      // Redis clamps hz silently to 1..500 (CONFIG_MIN_HZ / CONFIG_MAX_HZ).
      if (def.name === 'hz') return String(Math.min(500, Math.max(1, n)));
      return String(n);
    }
    case 'octal': {
      if (!/^[0-7]+$/.test(a)) throw new ConfigError("argument couldn't be parsed as an octal number");
      const n = parseInt(a, 8);
      if (n < k.min || n > k.max) throw new ConfigError(`argument must be between ${k.min} and ${k.max} inclusive`);
      return n.toString(8);
    }
    case 'memory': {
      const n = parseMemory(a);
      if ((n === null || n < 0) && k.percent) {
        // A percentage of maxmemory: digits (string2ll) then '%', at most 100; "0%" is plain 0, as Redis stores it.
        const m = /^(0|[1-9]\d{0,18})%$/.exec(a);
        if (!m) throw new ConfigError('argument must be a memory or percent value');
        const pct = Number(m[1]);
        if (pct > 100) throw new ConfigError('percentage argument must be less or equal to 100');
        return pct === 0 ? '0' : `${pct}%`;
      }
      if (n === null || n < 0) throw new ConfigError("argument must be a memory value");
      if (n < k.min || n > k.max) throw new ConfigError(`argument must be between ${showBound(k.min)} and ${showBound(k.max)} inclusive`);
      return String(n);
    }
    case 'enum': {
      const v = a.toLowerCase();
      if (!k.values.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${k.values.join(', ')}`);
      return v;
    }
    case 'string':
      return a;
    case 'list': {
      const words = args.flatMap((x) => x.split(' ')).filter((x) => x.length > 0);
      const err = k.validate?.(words);
      if (err) throw new ConfigError(err);
      return k.merge ? k.merge(words, prev) : words.join(' ');
    }
    case 'flags': {
      const v = k.canonical(a);
      if (v === null) throw new ConfigError(k.invalid);
      return v;
    }
  }
}

/**
 * Splits one config-file line into words as Redis's sdssplitargs does
 * (quotes, escapes). Returns null when quotes are unbalanced.
 */
export function splitConfigLine(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && /\s/.test(line[i])) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    for (;;) {
      if (inDq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        if (c === '\\' && i + 1 < n) {
          const e = line[i + 1];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
          i += 2;
          continue;
        }
        if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        }
        cur += c;
        i++;
      } else if (inSq) {
        if (i >= n) return null;
        const c = line[i];
        if (c === '\\' && line[i + 1] === "'") {
          cur += "'";
          i += 2;
          continue;
        }
        if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        }
        cur += c;
        i++;
      } else {
        if (i >= n || /\s/.test(line[i])) break;
        const c = line[i];
        if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
        i++;
      }
    }
    out.push(cur);
  }
}

export interface ConfigLine {
  /** 1-based line number in the combined text (file then command line), as Redis reports it. */
  lineNo: number;
  text: string;
  words: string[];
}

export class FatalConfigError extends Error {
  constructor(
    readonly lineNo: number,
    readonly line: string,
    readonly reason: string,
  ) {
    super(reason);
  }

  /** The message redis-server prints before exiting. */
  format(version: string): string {
    // Line 0: a check after the whole config was read (e.g. the log file), which names no line.
    if (this.lineNo === 0) return `\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\n${this.reason}\n`;
    return `\n*** FATAL CONFIG FILE ERROR (Redis ${version}) ***\nReading the configuration file, at line ${this.lineNo}\n>>> '${this.line}'\n${this.reason}\n`;
  }
}

/** A config file that cannot be read (the main one, or an `include`): redis-server's "Fatal error, can't open config file". */
export class ConfigFileError extends Error {}

/** What loading a config needs beyond the table, and what it reports back. */
export interface LoadContext {
  /** Directives rivulet ignores that this config set, in first-seen order (logged once at start). */
  ignored?: Set<string>;
  /**
   * rename-command: renames (to '' removes) a command in the table; returns
   * Redis's error text ("No such command in rename-command", "Target command
   * name already exists") or null. Absent: rename-command is refused.
   */
  renameCommand?: (from: string, to: string) => string | null;
  /** How deep `include` has gone (Redis has no limit; a loop would recurse forever). */
  depth?: number;
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * Loads config text (the file's content followed by the command-line options,
 * one directive per line, as redis-server combines them) into `config`.
 * Throws FatalConfigError for the first bad line, ConfigFileError for an
 * `include` that cannot be read. An included file is loaded on its own, as
 * Redis does (its errors give line numbers within it); a pattern with
 * `*`, `?` or `[` includes every matching file and may match none.
 */
export function loadConfigText(config: Config, text: string, ctx: LoadContext = {}): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const words = splitConfigLine(trimmed);
    if (words === null) throw new FatalConfigError(i + 1, trimmed, 'Unbalanced quotes in configuration line');
    if (words.length === 0) continue;
    const name = words[0].toLowerCase();
    const def = paramDef(name);
    if (def) {
      if (words.length < 2 || (def.kind.type !== 'list' && words.length !== 2)) {
        throw new FatalConfigError(i + 1, trimmed, 'wrong number of arguments');
      }
      try {
        config.apply(name, words.slice(1));
      } catch (err) {
        throw new FatalConfigError(i + 1, trimmed, (err as Error).message);
      }
      if (IGNORED.has(def.name)) ctx.ignored?.add(def.name);
      continue;
    }
    if (name === 'include' && words.length === 2) {
      if ((ctx.depth ?? 0) >= MAX_INCLUDE_DEPTH) throw new FatalConfigError(i + 1, trimmed, `include nested more than ${MAX_INCLUDE_DEPTH} levels deep`);
      for (const file of includeFiles(words[1])) {
        let included: string;
        try {
          included = fs.readFileSync(file, 'utf8');
        } catch (err) {
          throw new ConfigFileError(`Fatal error, can't open config file '${file}': ${strerrorOf(err)}`);
        }
        loadConfigText(config, included, { ...ctx, depth: (ctx.depth ?? 0) + 1 });
      }
      continue;
    }
    if (name === 'rename-command' && words.length === 3) {
      const err = ctx.renameCommand ? ctx.renameCommand(words[1], words[2]) : 'No such command in rename-command';
      if (err !== null) throw new FatalConfigError(i + 1, trimmed, err);
      continue;
    }
    if (name === 'sentinel') {
      if (words.length !== 1) throw new FatalConfigError(i + 1, trimmed, 'sentinel directive while not in sentinel mode');
      continue;
    }
    const special = ignoredSpecialDirective(name, words.length);
    if (special !== null) {
      if (name.includes('.') && words.length < 2) throw new FatalConfigError(i + 1, trimmed, 'Module config specified without value');
      if (special !== '') ctx.ignored?.add(special);
      continue;
    }
    throw new FatalConfigError(i + 1, trimmed, 'Bad directive or wrong number of arguments');
  }
}

/** The files an `include` names: the path itself, or the matches of a wildcard in its last component (sorted, as glob(3)). */
function includeFiles(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const dir = path.dirname(pattern);
  const base = path.basename(pattern);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.') && globMatch(base, n, false))
    .sort()
    .map((n) => path.join(dir, n));
}

/** strerror(3)'s text for a Node fs error. */
function strerrorOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  return (err as Error).message;
}

/**
 * Turns redis-server style argv (`[configfile] [--name value ...] [-]`) into
 * config text and the config file path. `--name v1 v2` feeds several words.
 */
export function argvToConfigText(argv: string[]): { file?: string; options: string } {
  let file: string | undefined;
  let i = 0;
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    file = argv[0];
    i = 1;
  }
  const lines: string[] = [];
  let cur: string[] | null = null;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--') && a.length > 2) {
      if (cur) lines.push(cur.join(' '));
      cur = [a.slice(2)];
    } else if (cur) {
      // Values are always quoted, as redis-server does (sdscatrepr): a FATAL error shows `port "abc"`.
      cur.push(reprWord(a));
    } else {
      cur = [reprWord(a)];
    }
  }
  if (cur) lines.push(cur.join(' '));
  return { file, options: lines.join('\n') };
}

/** Always double-quotes a word with escapes, as Redis's sdscatrepr (splitConfigLine gives it back unchanged). */
export function reprWord(w: string): string {
  let out = '"';
  for (const ch of w) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 32 || code === 127) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Quotes a word so splitConfigLine gives it back unchanged. */
export function quoteWord(w: string): string {
  if (w !== '' && !/[\s"'\\]/.test(w)) return w;
  return '"' + w.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r') + '"';
}
