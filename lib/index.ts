/**
 * rivulet's embedded API: `createServer()` starts the same server the CLI
 * starts, in this process.
 */
import { rdbOf } from './persistence/index.js';
import { Engine, type ServerOptions } from './engine/engine.js';
import { Network } from './network/listener.js';
import fs from 'node:fs';
import { loadConfigText, FatalConfigError, ConfigFileError, type LoadContext } from './config.js';
import { COMMANDS } from '../commands/index.js';
import { installPlugins } from './plugins.js';
import { REDIS_VERSION } from './version.js';
import { metricsPort } from './metrics/index.js';

export { Engine, type ServerOptions } from './engine/engine.js';
export { ListenError } from './network/listener.js';
export { FatalConfigError, ConfigFileError, type DirectiveName } from './config.js';
export { VERSION, REDIS_VERSION } from './version.js';

export interface RivuletServer {
  /** The TCP port actually listened on (useful with `port: 0`). */
  readonly port: number;
  /** The port of the metrics endpoint (`metrics-port`), or null while it is off. */
  readonly metricsPort: number | null;
  /** The server object, for introspection in tests. */
  readonly server: Engine;
  /** Stops listening, disconnects clients, flushes the AOF. */
  close(): Promise<void>;
}

/** How a server is being started: the CLI keeps redis-server's defaults, the embedded API picks test-friendly ones. */
export interface StartMode {
  embedded: boolean;
  /** Path of the config file (CONFIG REWRITE writes it back). */
  configFile?: string;
}

/**
 * Builds an engine and its network layer from config text (file + command line) and options, without starting it.
 * Throws FatalConfigError for a bad directive.
 */
export function buildServer(configText: string, options: ServerOptions, mode: StartMode): Engine {
  const server = new Engine();
  server.configFile = mode.configFile;
  // The command table comes first: rename-command in the config edits it.
  server.commands = new Map(COMMANDS.map((c) => [c.name, c]));
  const ignored = new Set<string>();
  const ctx: LoadContext = { ignored, renameCommand: (from, to) => renameCommand(server, from, to) };
  if (mode.embedded) {
    // Embedded: an ephemeral port, quiet logs, in-memory unless a dir is given.
    server.config.apply('port', ['0']);
    server.config.apply('loglevel', ['warning']);
    server.config.apply('appendonly', [options.dir !== undefined ? 'yes' : 'no']);
    // No RDB snapshots into the current directory either, unless a dir is given.
    if (options.dir === undefined) server.config.apply('save', ['']);
  } else {
    // rivulet-server persists by default: a dev queue should survive a restart.
    server.config.apply('appendonly', ['yes']);
  }
  loadConfigText(server.config, configText, ctx);
  const lines: string[] = [];
  if (options.configText) lines.push(options.configText);
  for (const [k, v] of Object.entries(options)) {
    if (k === 'configText' || v === undefined) continue;
    const value = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
    lines.push(`${k} "${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  }
  loadConfigText(server.config, lines.join('\n'), ctx);
  server.ignoredDirectives = [...ignored];
  // As redis-server: a log file that cannot be opened is a config error, found before anything starts.
  const logfile = server.config.get('logfile');
  if (logfile !== '') {
    try {
      fs.closeSync(fs.openSync(logfile, 'a'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : code === 'EISDIR' ? 'Is a directory' : (err as Error).message;
      throw new FatalConfigError(0, '', `Can't open the log file: ${why}`);
    }
  }
  installPlugins(server);
  if (mode.embedded && options.dir === undefined) rdbOf(server).diskless = true;
  new Network(server);
  return server;
}

/** rename-command from to: the command answers to `to` instead (to '' removes it). Stats and errors keep its own name, as in Redis. */
function renameCommand(server: Engine, from: string, to: string): string | null {
  const spec = server.commands.get(from.toLowerCase());
  if (!spec) return 'No such command in rename-command';
  server.commands.delete(from.toLowerCase());
  if (to === '') return null;
  if (server.commands.has(to.toLowerCase())) return 'Target command name already exists';
  server.commands.set(to.toLowerCase(), spec);
  return null;
}

/** Starts a rivulet server in this process. Rejects on a bad option or when the port cannot be bound. */
export async function createServer(options: ServerOptions = {}): Promise<RivuletServer> {
  let server: Engine;
  try {
    server = buildServer('', options, { embedded: true });
  } catch (err) {
    if (err instanceof FatalConfigError) throw new Error(err.format(REDIS_VERSION));
    if (err instanceof ConfigFileError) throw new Error(err.message);
    throw err;
  }
  await server.start();
  return {
    get port() {
      return server.port;
    },
    get metricsPort() {
      return metricsPort(server);
    },
    server,
    close: () => server.close(),
  };
}
