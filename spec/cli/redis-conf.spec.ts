/**
 * A redis.conf that just works: stock config files start rivulet, every
 * directive redis-server knows is accepted (the ignored ones logged once and
 * shown by CONFIG GET), and the directives operators rely on do what they do
 * in Redis: include, rename-command, unixsocket/unixsocketperm, pidfile,
 * daemonize, logfile (fatal start-up errors included), loglevel verbose;
 * plus --dir that cannot be created, and maxmemory with small values.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import {
  BIN,
  connect,
  freePort,
  rawCommand,
  rmrf,
  sleep,
  startRedis,
  startRivulet,
  startRivuletProcess,
  tmpDir,
  waitForPing,
  HAVE_REDIS,
  RawConnection,
  runProgram, type ProgramRun,
} from '../helpers.js';

/** Runs the CLI to completion. */
function run(args: string[], timeoutMs = 20_000): Promise<ProgramRun> {
  return runProgram(process.execPath, [BIN, ...args], { timeoutMs });
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

/** One command over a Unix socket; the raw reply text. */
function unixCommand(file: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(file, () => s.write(line));
    s.once('data', (d) => {
      resolve(d.toString());
      s.destroy();
    });
    s.once('error', reject);
  });
}

/** Debian's stock config (root-readable only on Debian). */
const DEBIAN_CONF = '/etc/redis/redis.conf';
const canRead = (f: string): boolean => {
  try {
    fs.accessSync(f, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

describe('redis.conf compatibility', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = tmpDir('rivulet-conf-');
  });
  afterEach(() => rmrf(dir));

  it("Debian's stock /etc/redis/redis.conf starts rivulet, the directives it ignores logged once each", async function () {
    if (!canRead(DEBIAN_CONF)) this.skip(); // no Debian redis-server package here, or not readable by this user
    // Only the paths are moved somewhere writable; daemonize, pidfile and logfile are tested below.
    const log = path.join(dir, 'redis.log');
    const port = await freePort();
    const r = await run([DEBIAN_CONF, '--port', String(port), '--dir', dir, '--logfile', log, '--pidfile', path.join(dir, 'redis.pid')]);
    // daemonize yes (Debian's setting): the foreground process exits 0 at once, the server runs on.
    expect(r.code).to.equal(0);
    try {
      await waitForPing(port);
      expect(await rawCommand(port, ['CONFIG', 'GET', 'rdbcompression'])).to.deep.equal(['rdbcompression', 'yes']);
      expect(await rawCommand(port, ['CONFIG', 'GET', 'oom-score-adj-values'])).to.deep.equal(['oom-score-adj-values', '0 200 800']);
      expect(await rawCommand(port, ['CONFIG', 'GET', 'hz'])).to.deep.equal(['hz', '10']);
    } finally {
      await rawCommand(port, ['SHUTDOWN']).catch(() => null);
    }
    await waitFor(() => fs.readFileSync(log, 'utf8').includes('bye bye'));
    const text = fs.readFileSync(log, 'utf8');
    expect(text).to.contain('# rdb-del-sync-files is not supported by rivulet and is ignored\n');
    expect(text).to.not.contain('rdbcompression is not supported'); // RDB compression is implemented (issue 19)
    expect(text).to.contain('# jemalloc-bg-thread is not supported by rivulet and is ignored\n');
    // Set once in the file and once per class for client-output-buffer-limit: still one line each.
    expect(text.split('rdb-del-sync-files is not supported').length).to.equal(2);
    // Warnings only: nothing refused.
    expect(text).to.not.contain('FATAL');
  });

  it("redis.conf of Redis 7.4 (RIVULET_REDIS_CONF, default /work/oracle-src/redis.conf) starts rivulet with warnings only", async function () {
    const conf = process.env.RIVULET_REDIS_CONF ?? '/work/oracle-src/redis.conf';
    if (!canRead(conf)) this.skip(); // Redis's source tree is not on this machine (its redis.conf is not shipped with rivulet)
    const proc = await startRivuletProcess([conf, '--dir', dir, '--pidfile', path.join(dir, 'p.pid'), '--appendonly', 'no']);
    try {
      expect(await rawCommand(proc.port, ['PING'])).to.equal('PONG');
      expect(proc.output()).to.contain('# rdb-del-sync-files is not supported by rivulet and is ignored\n');
      expect(proc.output()).to.not.contain('FATAL');
    } finally {
      await proc.stop();
    }
  });

  it('accepts every directive the oracle redis-server lists in CONFIG GET *, and shows the same defaults for those it ignores', async function () {
    if (!HAVE_REDIS) this.skip(); // redis-server not installed
    const oracle = await startRedis();
    // Redis's default for enable-debug-command (the helper turns it on for the test suite).
    const ours = await startRivulet({ 'enable-debug-command': 'no' });
    try {
      const pairs = (await rawCommand(oracle.port, ['CONFIG', 'GET', '*'])) as string[];
      const theirs = new Map<string, string>();
      for (let i = 0; i < pairs.length; i += 2) theirs.set(String(pairs[i]), String(pairs[i + 1]));
      const oursPairs = (await rawCommand(ours.port, ['CONFIG', 'GET', '*'])) as string[];
      const mine = new Map<string, string>();
      for (let i = 0; i < oursPairs.length; i += 2) mine.set(String(oursPairs[i]), String(oursPairs[i + 1]));
      // Hidden ones (Redis 7.0 still lists aof-disable-auto-gc, 7.4 hides it) answer when asked by exact name.
      for (const k of theirs.keys()) {
        if (mine.has(k)) continue;
        const one = (await rawCommand(ours.port, ['CONFIG', 'GET', k])) as string[];
        if (one.length === 2) mine.set(String(one[0]), String(one[1]));
      }
      expect([...theirs.keys()].filter((k) => !mine.has(k)), 'directives rivulet does not know').to.deep.equal([]);
      // Defaults that differ on purpose: environment (ports, dirs, binds of the test set-up), and rivulet's RESP base files.
      const deliberate = new Set(['port', 'bind', 'dir', 'save', 'appendonly', 'aof-use-rdb-preamble', 'loglevel', 'daemonize', 'io-threads']);
      const differing = [...theirs].filter(([k, v]) => !deliberate.has(k) && mine.get(k) !== v).map(([k, v]) => `${k}: redis ${v}, rivulet ${mine.get(k)}`);
      expect(differing).to.deep.equal([]);
      // And a config file setting each of them to its default loads.
      const file = path.join(dir, 'all.conf');
      const skip = new Set(['port', 'bind', 'dir', 'daemonize', 'pidfile', 'logfile', 'unixsocket', 'replicaof', 'slaveof']);
      // One quoted word each: a directive of several words (save, client-output-buffer-limit) splits it, as in Redis.
      const lines = [...theirs].filter(([k]) => !skip.has(k)).map(([k, v]) => `${k} "${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
      fs.writeFileSync(file, lines.join('\n') + '\n');
      const proc = await startRivuletProcess([file, '--appendonly', 'no', '--dir', dir, '--save', '']);
      try {
        expect(await rawCommand(proc.port, ['PING'])).to.equal('PONG');
      } finally {
        await proc.stop();
      }
    } finally {
      await ours.close();
      await oracle.stop();
    }
  });

  it('a bad value for an ignored directive is still a FATAL CONFIG error, as in Redis', async () => {
    const r = await run(['--rdbcompression', 'maybe']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.4.0) ***\nReading the configuration file, at line 2\n>>> 'rdbcompression \"maybe\"'\nargument must be 'yes' or 'no'\n",
    );
    const perm = await run(['--unixsocketperm', '999']);
    expect(perm.stderr).to.contain("argument couldn't be parsed as an octal number\n");
    const argc = await run(['--port', '1', '2']);
    expect(argc.stderr).to.contain(">>> 'port \"1\" \"2\"'\nwrong number of arguments\n");
  });

  it('CONFIG SET works for an ignored directive Redis lets you change, and refuses an immutable one', async () => {
    const s = await startRivulet();
    try {
      expect(await rawCommand(s.port, ['CONFIG', 'SET', 'activerehashing', 'no'])).to.equal('OK');
      expect(await rawCommand(s.port, ['CONFIG', 'GET', 'activerehashing'])).to.deep.equal(['activerehashing', 'no']);
      expect(((await rawCommand(s.port, ['CONFIG', 'SET', 'rdbchecksum', 'no'])) as Error).message).to.equal(
        "ERR CONFIG SET failed (possibly related to argument 'rdbchecksum') - can't set immutable config",
      );
      // An old name works as in Redis, and CONFIG GET * lists it as a name of its own.
      expect(await rawCommand(s.port, ['CONFIG', 'GET', 'slave-priority'])).to.deep.equal(['slave-priority', '100']);
    } finally {
      await s.close();
    }
  });

  it('include reads another file (a wildcard may match several, or none)', async () => {
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'conf.d', 'a.conf'), 'hz 33\n');
    fs.writeFileSync(path.join(dir, 'conf.d', 'b.conf'), 'maxmemory-policy allkeys-lru\n');
    fs.writeFileSync(path.join(dir, 'extra.conf'), 'timeout 7\n');
    const main = path.join(dir, 'main.conf');
    fs.writeFileSync(main, `include ${path.join(dir, 'extra.conf')}\ninclude ${path.join(dir, 'conf.d', '*.conf')}\ninclude ${path.join(dir, 'none', '*.conf')}\nappendonly no\n`);
    const proc = await startRivuletProcess([main]);
    try {
      expect(await rawCommand(proc.port, ['CONFIG', 'GET', 'hz'])).to.deep.equal(['hz', '33']);
      expect(await rawCommand(proc.port, ['CONFIG', 'GET', 'maxmemory-policy'])).to.deep.equal(['maxmemory-policy', 'allkeys-lru']);
      expect(await rawCommand(proc.port, ['CONFIG', 'GET', 'timeout'])).to.deep.equal(['timeout', '7']);
    } finally {
      await proc.stop();
    }
    fs.writeFileSync(main, `include ${path.join(dir, 'missing.conf')}\n`);
    const r = await run([main]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(`Fatal error, can't open config file '${path.join(dir, 'missing.conf')}': No such file or directory\n`);
  });

  it('rename-command renames a command (stats keep its name) or, renamed to "", removes it', async () => {
    const proc = await startRivuletProcess(['--appendonly', 'no', '--rename-command', 'CONFIG', 'c0nf', '--rename-command', 'FLUSHALL', '']);
    try {
      expect(await rawCommand(proc.port, ['c0nf', 'GET', 'hz'])).to.deep.equal(['hz', '10']);
      expect(((await rawCommand(proc.port, ['CONFIG', 'GET', 'hz'])) as Error).message).to.equal("ERR unknown command 'CONFIG', with args beginning with: 'GET' 'hz' ");
      expect(((await rawCommand(proc.port, ['FLUSHALL'])) as Error).message).to.equal("ERR unknown command 'FLUSHALL', with args beginning with: ");
      expect(String(await rawCommand(proc.port, ['INFO', 'commandstats']))).to.contain('cmdstat_config|get:calls=1,');
    } finally {
      await proc.stop();
    }
    const r = await run(['--rename-command', 'NOPE', 'x']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(">>> 'rename-command \"NOPE\" \"x\"'\nNo such command in rename-command\n");
  });

  it('unixsocket serves clients on a Unix socket with unixsocketperm, shown as /unixsocket:0, removed at shutdown', async () => {
    const sock = path.join(dir, 'rivulet.sock');
    const proc = await startRivuletProcess(['--appendonly', 'no', '--unixsocket', sock, '--unixsocketperm', '700']);
    try {
      expect((fs.statSync(sock).mode & 0o777).toString(8)).to.equal('700');
      expect(await unixCommand(sock, 'PING\r\n')).to.equal('+PONG\r\n');
      const info = await unixCommand(sock, 'CLIENT INFO\r\n');
      expect(info).to.match(/ addr=\/unixsocket:0 laddr=\/unixsocket:0 /);
      expect(await rawCommand(proc.port, ['CONFIG', 'GET', 'unixsocketperm'])).to.deep.equal(['unixsocketperm', '700']);
      await rawCommand(proc.port, ['SHUTDOWN']).catch(() => null);
      await waitFor(() => proc.proc.exitCode !== null);
      expect(fs.existsSync(sock)).to.equal(false);
    } finally {
      await proc.stop();
    }
  });

  it('pidfile holds the pid while the server runs and is removed at shutdown', async () => {
    const pidfile = path.join(dir, 'r.pid');
    const proc = await startRivuletProcess(['--appendonly', 'no', '--pidfile', pidfile]);
    try {
      expect(fs.readFileSync(pidfile, 'utf8')).to.equal(`${proc.proc.pid}\n`);
      await rawCommand(proc.port, ['SHUTDOWN']).catch(() => null);
      await waitFor(() => proc.proc.exitCode !== null);
      expect(fs.existsSync(pidfile)).to.equal(false);
    } finally {
      await proc.stop();
    }
  });

  it('daemonize yes detaches: the command exits 0, the server runs in the background and writes its pidfile', async () => {
    const pidfile = path.join(dir, 'd.pid');
    const log = path.join(dir, 'd.log');
    const port = await freePort();
    const r = await run(['--daemonize', 'yes', '--port', String(port), '--appendonly', 'no', '--pidfile', pidfile, '--logfile', log]);
    expect(r.code).to.equal(0);
    expect(r.stdout + r.stderr).to.equal('');
    try {
      await waitForPing(port);
      const pid = Number(fs.readFileSync(pidfile, 'utf8'));
      expect(pid).to.be.greaterThan(0);
      expect(await rawCommand(port, ['CONFIG', 'GET', 'daemonize'])).to.deep.equal(['daemonize', 'yes']);
      expect(fs.readFileSync(log, 'utf8')).to.contain(`starting, pid=${pid}`);
      await rawCommand(port, ['SHUTDOWN']).catch(() => null);
      await waitFor(() => !fs.existsSync(pidfile));
    } finally {
      if (fs.existsSync(pidfile)) {
        try {
          process.kill(Number(fs.readFileSync(pidfile, 'utf8')), 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  });

  it('logfile receives the fatal start-up errors: a port in use, a damaged AOF', async () => {
    const log = path.join(dir, 'fatal.log');
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((res) => blocker.listen(port, '127.0.0.1', () => res()));
    try {
      const r = await run(['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'no', '--logfile', log]);
      expect(r.code).to.equal(1);
      expect(fs.readFileSync(log, 'utf8')).to.contain(`# Failed listening on port ${port} (tcp), aborting.\n`);
    } finally {
      blocker.close();
    }
    const aofdir = path.join(dir, 'data', 'appendonlydir');
    fs.mkdirSync(aofdir, { recursive: true });
    fs.writeFileSync(path.join(aofdir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    // Damage in the base (not the last file) cannot be truncated away: the start fails.
    fs.writeFileSync(path.join(aofdir, 'appendonly.aof.1.base.aof'), 'this is not RESP at all\r\n');
    fs.writeFileSync(path.join(aofdir, 'appendonly.aof.1.incr.aof'), '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n');
    const log2 = path.join(dir, 'fatal2.log');
    const r2 = await run(['--port', String(await freePort()), '--dir', path.join(dir, 'data'), '--logfile', log2]);
    expect(r2.code).to.equal(1);
    expect(r2.stdout + r2.stderr).to.equal('');
    expect(fs.readFileSync(log2, 'utf8')).to.match(/# Fatal error: .+\n$/);
  });

  it('a log file that cannot be opened is a FATAL CONFIG error, as in Redis', async () => {
    const r = await run(['--logfile', path.join(dir, 'no', 'such', 'dir.log')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal("\n*** FATAL CONFIG FILE ERROR (Redis 7.4.0) ***\nCan't open the log file: No such file or directory\n");
  });

  it('loglevel verbose logs accepted and closed connections as Redis does', async () => {
    const sock = path.join(dir, 'v.sock');
    const proc = await startRivuletProcess(['--appendonly', 'no', '--loglevel', 'verbose', '--unixsocket', sock]);
    try {
      const c = await RawConnection.open(proc.port);
      await c.call('CLIENT', 'SETNAME', 'alice');
      const id = await c.call('CLIENT', 'ID');
      c.close();
      await waitFor(() => proc.output().includes(`Client closed connection id=${id} `));
      expect(proc.output()).to.match(/- Accepted 127\.0\.0\.1:\d+\n/);
      expect(proc.output()).to.match(new RegExp(`- Client closed connection id=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${proc.port} fd=\\S+ name=alice `));
      await unixCommand(sock, 'PING\r\n');
      await waitFor(() => proc.output().includes(`- Accepted connection to ${sock}\n`));
    } finally {
      await proc.stop();
    }
  });

  it('a --dir that cannot be created fails at once with a message (never hangs)', async () => {
    const r = await run(['--dir', '/proc/rivulet-no-such-dir', '--port', String(await freePort())], 15_000);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal("Fatal error: Can't chdir to '/proc/rivulet-no-such-dir': No such file or directory\n");
  });
});

describe('maxmemory and used_memory', function () {
  this.timeout(30_000);

  it('an empty server reports about what an empty Redis does (~0.9 MB), and maxmemory 5mb takes writes', async () => {
    const s = await startRivulet({ maxmemory: '5mb' });
    const c = connect(s.port);
    try {
      const used = (): Promise<number> => c.info('memory').then((t) => Number(/used_memory:(\d+)/.exec(t)![1]));
      const empty = await used();
      expect(empty).to.be.within(850_000, 1_000_000);
      // 1,000 values of 1 KB: about 1.1 MB of data, as MEMORY USAGE counts it.
      const v = 'x'.repeat(1000);
      for (let i = 0; i < 1000; i++) expect(await c.set(`k${i}`, v)).to.equal('OK');
      const full = await used();
      let sum = 0;
      for (let i = 0; i < 1000; i++) sum += Number(await c.call('MEMORY', 'USAGE', `k${i}`));
      expect(full - empty).to.be.within(sum, sum + 50_000);
      // Deleting gives it back.
      await c.flushall();
      expect(await used()).to.be.within(850_000, 1_000_000);
    } finally {
      c.disconnect();
      await s.close();
    }
  });

  it('writes are refused with OOM once the data passes maxmemory, and accepted again after deleting', async () => {
    const s = await startRivulet({ maxmemory: '2mb' });
    const c = await RawConnection.open(s.port);
    try {
      const v = 'y'.repeat(10_000);
      let refusedAt = -1;
      for (let i = 0; i < 400 && refusedAt === -1; i++) {
        const r = await c.call('SET', `k${i}`, v);
        if (r instanceof Error) {
          expect(r.message).to.equal("OOM command not allowed when used memory > 'maxmemory'.");
          refusedAt = i;
        }
      }
      // 2 MB less the ~0.9 MB base holds about a hundred 10 KB values.
      expect(refusedAt).to.be.within(90, 130);
      expect(await c.call('FLUSHALL')).to.equal('OK');
      expect(await c.call('SET', 'again', v)).to.equal('OK');
    } finally {
      c.close();
      await s.close();
    }
  });
});
