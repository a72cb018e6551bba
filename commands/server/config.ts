/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP, answered from the config
 * table in lib/config.ts.
 */
import fs from 'node:fs';
import type { CommandSpec } from '../../lib/command.js';
import { arg, block } from '../../lib/command.js';
import type { Session } from '../../lib/engine/session.js';
import * as E from '../../lib/errors.js';
import { allowProtectedAction, paramDef, ALL_PARAMS, ConfigError, splitConfigLine, reprWord, type ParamDef } from '../../lib/config.js';
import { helpLines, writeHelp, type HelpEntry } from '../../lib/help.js';

const admin = {
  flags: ['admin', 'noscript', 'loading', 'stale'] as CommandSpec['flags'],
  acl: ['admin', 'slow', 'dangerous'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
};
const ALL_NODES = ['request_policy:all_nodes', 'response_policy:all_succeeded'];

/** CONFIG HELP: Redis 7.4's text, each entry under the subcommand it documents (only those rivulet has are shown). */
const HELP: HelpEntry[] = [
  ['get', ['GET <pattern>', '    Return parameters matching the glob-like <pattern> and their values.']],
  ['set', ['SET <directive> <value>', '    Set the configuration <directive> to <value>.']],
  ['resetstat', ['RESETSTAT', '    Reset statistics reported by the INFO command.']],
  ['rewrite', ['REWRITE', '    Rewrite the configuration file.']],
];

const configGet: CommandSpec = {
  ...admin,
  name: 'get',
  arity: -3,
  summary: 'Returns the effective values of configuration parameters.',
  since: '2.0.0',
  complexity: 'O(N) when N is the number of configuration parameters provided',
  history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
  arguments: [arg('parameter', 'string', { multiple: true })],
  handler(c, argv) {
    const patterns = argv.slice(2).map((b) => b.toString());
    const pairs = c.server.config.match(patterns);
    c.reply.map(pairs.length);
    for (const [k, v] of pairs) {
      c.reply.bulk(k);
      c.reply.bulk(v);
    }
  },
};

const configSet: CommandSpec = {
  ...admin,
  name: 'set',
  arity: -4,
  tips: ALL_NODES,
  summary: 'Sets configuration parameters in-flight.',
  since: '2.0.0',
  complexity: 'O(N) when N is the number of configuration parameters provided',
  history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
  arguments: [block('data', [arg('parameter', 'string'), arg('value', 'string')], { multiple: true })],
  handler(c, argv) {
    if (argv.length % 2 !== 0) throw E.SYNTAX;
    // Check every name first (unknown, immutable, duplicate), as Redis does, then apply all or nothing.
    let unknown: string | null = null;
    let failure: E.ReplyError | null = null;
    const defs: ParamDef[] = [];
    for (let i = 2; i < argv.length; i += 2) {
      const given = argv[i].toString();
      const def = paramDef(given);
      if (!def) {
        unknown ??= given;
        continue;
      }
      if (failure || unknown) continue;
      if (!def.mutable) failure = E.configSetFailed(given, "can't set immutable config");
      else if (def.protected && !protectedAllowed(c)) failure = E.configSetFailed(given, "can't set protected config");
      else if (defs.includes(def)) failure = E.configSetFailed(given, 'duplicate parameter');
      defs.push(def);
    }
    if (unknown !== null) throw E.configUnknownOption(unknown);
    if (failure) throw failure;

    const config = c.server.config;
    const previous = defs.map((d) => config.get(d.name));
    for (let i = 0; i < defs.length; i++) {
      const value = argv[3 + 2 * i].toString();
      try {
        config.apply(defs[i].name, defs[i].kind.type === 'list' ? value.split(' ') : [value]);
      } catch (err) {
        // Roll back what was already applied: CONFIG SET of several pairs is atomic.
        for (let j = i - 1; j >= 0; j--) restore(c, defs[j], previous[j]);
        if (err instanceof ConfigError) throw E.configSetFailed(argv[2 + 2 * i].toString(), err.message);
        throw err;
      }
    }
    const listener = defs.findIndex((d, i) => (d.name === 'port' || d.name === 'bind') && config.get(d.name) !== previous[i]);
    if (listener === -1) {
      c.reply.ok();
      return;
    }
    rebind(c, defs, previous, argv[2 + 2 * listener].toString(), defs[listener].name === 'port');
  },
};

/**
 * The listener part of CONFIG SET port / bind: listening is asynchronous in
 * Node, so the client waits (blocked, like XREAD BLOCK) for the outcome: OK,
 * or — after every value of this CONFIG SET is restored and the old listener
 * is back — Redis's error, naming the argument. Inside EXEC nothing may wait:
 * the rebinding is started and OK is replied (a failure is only logged and rolled back).
 */
function rebind(c: Session, defs: ParamDef[], previous: string[], arg: string, isPort: boolean): void {
  const server = c.server;
  // An embedded server started with port 0 listens on an ephemeral port: that one is "the old port".
  const pi = defs.findIndex((d) => d.name === 'port');
  const oldPort = pi === -1 ? server.port : Number(previous[pi]) || server.port;
  const newPort = pi === -1 ? server.port : server.config.int('port');
  const rollBack = async (): Promise<void> => {
    for (let j = defs.length - 1; j >= 0; j--) restore(c, defs[j], previous[j]);
    if (!(await server.relisten(oldPort))) server.log('warning', `Could not listen again on port ${oldPort} after a failed CONFIG SET`);
  };
  if (server.callDepth > 1) {
    void server.relisten(newPort).then((ok) => (ok ? undefined : rollBack()));
    c.reply.ok();
    return;
  }
  // Blocked on no key: only the outcome below (or CLIENT UNBLOCK, or a disconnect) ends the wait.
  c.block({ keys: [], timeoutAt: 0, type: 'none' });
  const state = c.blocked;
  void (async () => {
    const ok = await server.relisten(newPort);
    if (!ok) await rollBack();
    if (c.blocked !== state) return; // disconnected (or CLIENT UNBLOCKed) meanwhile
    server.blocking.unblock(c);
    if (ok) c.reply.ok();
    else c.reply.error(E.configSetFailed(arg, isPort ? 'Unable to listen on this port. Check server logs.' : 'Failed to bind to specified addresses.').message);
    c.flush();
    c.scheduleResume();
  })();
}

/** enable-protected-configs: `yes`, or `local` for loopback clients (Redis's allowProtectedAction). */
function protectedAllowed(c: Session): boolean {
  return allowProtectedAction(c.server.config.get('enable-protected-configs'), c.link === null ? undefined : c.link.remoteAddress);
}

function restore(c: Session, def: ParamDef, value: string): void {
  try {
    c.server.config.apply(def.name, def.kind.type === 'list' ? value.split(' ') : [value]);
  } catch {
    /* the old value was valid when it was set */
  }
}

const configResetstat: CommandSpec = {
  ...admin,
  name: 'resetstat',
  arity: 2,
  tips: ALL_NODES,
  summary: 'Resets the server\'s statistics.',
  since: '2.0.0',
  complexity: 'O(1)',
  handler(c) {
    c.server.stats.reset();
    c.reply.ok();
  },
};

const configRewrite: CommandSpec = {
  ...admin,
  name: 'rewrite',
  arity: 2,
  tips: ALL_NODES,
  summary: 'Persists the effective configuration to file.',
  since: '2.8.0',
  complexity: 'O(1)',
  handler(c) {
    const file = c.server.configFile;
    if (!file) throw E.NO_CONFIG_FILE;
    let old = '';
    try {
      old = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw E.configRewriteFailed((err as Error).message);
    }
    const text = rewriteConfig(old, c.server.config.entries());
    try {
      const tmp = `${file}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    } catch (err) {
      throw E.configRewriteFailed((err as Error).message);
    }
    c.server.log('notice', 'CONFIG REWRITE executed with success.');
    c.reply.ok();
  },
};

const GENERATED = '# Generated by CONFIG REWRITE';
/** Directives written even at their default value, because the default depends on how the server was started. */
const ALWAYS_WRITTEN = new Set(['appendonly']);

/**
 * Redis's CONFIG REWRITE algorithm: every line of the old file is kept
 * (comments, unknown text); a directive the file already has is rewritten in
 * place with the current value (its further occurrences are dropped); a
 * directive not in the file is appended after the "Generated by CONFIG
 * REWRITE" marker, only when its value differs from the default.
 */
export function rewriteConfig(old: string, values: [string, string][]): string {
  const lines = old === '' ? [] : old.replace(/\n$/, '').split('\n');
  const current = new Map(values);
  const done = new Set<string>();
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      out.push(line);
      continue;
    }
    const words = splitConfigLine(trimmed);
    const def = words && words.length > 0 ? paramDef(words[0]) : undefined;
    if (!def || !current.has(def.name)) {
      out.push(line);
      continue;
    }
    if (done.has(def.name)) continue; // a later duplicate of a rewritten directive
    done.add(def.name);
    out.push(...formatDirective(def, current.get(def.name)!));
  }
  const added: string[] = [];
  for (const def of ALL_PARAMS) {
    if (done.has(def.name)) continue;
    const v = current.get(def.name);
    // appendonly is always written: rivulet-server's default (yes) differs from the table's (no, embedded).
    if (v === undefined || (v === def.default && !ALWAYS_WRITTEN.has(def.name))) continue;
    added.push(...formatDirective(def, v));
  }
  if (added.length > 0) {
    if (!out.includes(GENERATED)) out.push(GENERATED);
    out.push(...added);
  }
  return out.join('\n') + '\n';
}

/** The config-file line(s) for one directive, written as Redis writes them. */
function formatDirective(def: ParamDef, value: string): string[] {
  switch (def.kind.type) {
    case 'memory':
      return [`${def.name} ${formatMemory(Number(value))}`];
    case 'string':
    case 'flags':
      return [`${def.name} ${reprWord(value)}`];
    case 'list': {
      if (def.name === 'client-output-buffer-limit') {
        // One line per class, as Redis writes it.
        const w = value.split(' ');
        const out: string[] = [];
        for (let i = 0; i + 3 < w.length; i += 4) out.push(`${def.name} ${w[i]} ${w.slice(i + 1, i + 4).join(' ')}`);
        return out;
      }
      return [value === '' ? `${def.name} ""` : `${def.name} ${value}`];
    }
    default:
      return [`${def.name} ${value}`];
  }
}

/** Memory values as Redis rewrites them: the largest exact unit among gb/mb/kb, else bytes. */
function formatMemory(n: number): string {
  const GB = 1024 ** 3;
  const MB = 1024 ** 2;
  if (n === 0) return '0';
  if (n % GB === 0) return `${n / GB}gb`;
  if (n % MB === 0) return `${n / MB}mb`;
  if (n % 1024 === 0) return `${n / 1024}kb`;
  return String(n);
}

const configHelp: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
  summary: 'Returns helpful text about the different subcommands.',
  since: '5.0.0',
  complexity: 'O(1)',
  handler(c) {
    writeHelp(c, 'CONFIG', helpLines(c.server.commands.get('config'), HELP));
  },
};

export const config: CommandSpec = {
  name: 'config',
  arity: -2,
  flags: [],
  acl: ['slow'],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: 'server',
  summary: 'A container for server configuration commands.',
  since: '2.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [configGet, configSet, configResetstat, configRewrite, configHelp],
};
