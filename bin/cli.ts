/**
 * rivulet-server's command line, redis-server style:
 *   rivulet-server [/path/to/rivulet.conf] [--port 6379] [--dir .] ...
 * Options on the command line override the file, exactly like redis-server
 * (they are appended to the file's text as extra directives).
 */
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { buildServer } from '../lib/index.js';
import { argvToConfigText, FatalConfigError, ConfigFileError } from '../lib/config.js';
import { ListenError } from '../lib/network/listener.js';
import { VERSION, REDIS_VERSION } from '../lib/version.js';

const USAGE = `Usage: ./rivulet-server [/path/to/rivulet.conf] [options] [-]
       ./rivulet-server - (read config from stdin)
       ./rivulet-server -v or --version
       ./rivulet-server -h or --help

Examples:
       ./rivulet-server (run the server with default conf)
       ./rivulet-server /etc/rivulet/6379.conf
       ./rivulet-server --port 7777
       ./rivulet-server --port 0 --appendonly no (ephemeral port, in memory)
       ./rivulet-server /etc/myrivulet.conf --loglevel verbose
       ./rivulet-server --bind 127.0.0.1 -::1 --dir ./data --requirepass secret

Any redis.conf directive rivulet knows can be given as --name value.
`;

function fail(msg: string): never {
  process.stderr.write(msg.endsWith('\n') ? msg : msg + '\n');
  process.exit(1);
}

/** Set in the environment of the background process `daemonize yes` starts; its config arrives on stdin. */
const DAEMON_CHILD = 'RIVULET_DAEMON_CHILD';

/**
 * daemonize yes: Node cannot fork, so the checked config (text and file name)
 * is handed over stdin to a new detached process (its own session, stdio on
 * /dev/null as Redis's daemonize() does) that runs the server, and this one
 * exits 0. Errors after this point (a port in use, a bad AOF) go to the
 * logfile, as with redis-server.
 */
function daemonize(text: string, file: string | undefined): void {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...process.env, [DAEMON_CHILD]: '1' },
  });
  child.stdin!.end(JSON.stringify({ text, file }), () => {
    child.unref();
    process.exit(0);
  });
}

export async function main(argv: string[]): Promise<void> {
  if (process.env[DAEMON_CHILD] === '1') {
    delete process.env[DAEMON_CHILD];
    const { text, file } = JSON.parse(fs.readFileSync(0, 'utf8')) as { text: string; file?: string };
    return run(text, file, true);
  }
  if (argv[0] === '-v' || argv[0] === '--version') {
    process.stdout.write(`rivulet server v=${VERSION} redis=${REDIS_VERSION} node=${process.version} bits=64\n`);
    return;
  }
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  let stdinConfig = '';
  if (argv[argv.length - 1] === '-') {
    stdinConfig = fs.readFileSync(0, 'utf8');
    argv = argv.slice(0, -1);
  }
  const { file, options } = argvToConfigText(argv);
  let text = '';
  if (file !== undefined) {
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      fail(`Fatal error, can't open config file '${file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message}`);
    }
  }
  // As redis-server: file, then stdin, then "\n" and the command-line options, so an
  // option's FATAL error reports the same line number redis-server would.
  let combined = text + stdinConfig;
  if (options !== '') combined += '\n' + options;

  return run(combined, file, false);
}

async function run(combined: string, file: string | undefined, daemonized: boolean): Promise<void> {
  let server;
  try {
    server = buildServer(combined, {}, { embedded: false, configFile: file });
  } catch (err) {
    if (err instanceof FatalConfigError) fail(err.format(REDIS_VERSION));
    if (err instanceof ConfigFileError) fail(err.message);
    throw err;
  }
  if (!daemonized && server.config.bool('daemonize')) return daemonize(combined, file);

  // A start-up failure is logged (synchronously, so a logfile gets it before exit) and, without a logfile, also on stderr.
  const fatal = (msg: string): never => {
    server.log('warning', msg);
    if (server.config.get('logfile') === '') fail(msg);
    process.exit(1);
  };
  try {
    await server.start();
  } catch (err) {
    if (err instanceof ListenError) {
      server.log('warning', `Warning: ${err.message}`);
      fatal(`Failed listening on port ${err.listenPort} (tcp), aborting.`);
    }
    fatal(`Fatal error: ${(err as Error).message}`);
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.log('warning', `Received ${signal} scheduling shutdown...`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.log('warning', `Error during shutdown: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // SHUTDOWN (the command) ends the process through the same path.
  server.onShutdown = () => process.exit(0);
}
