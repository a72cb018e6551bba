/**
 * bin/rivulet-server as a child process: config file and flags, fatal config
 * errors, port conflicts, signals, --version and --help.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { BIN, connect, startRivuletProcess, tmpDir, rmrf, freePort, sleep, waitForPing, HAVE_REDIS, ORACLE_BIN, runProgram, type ProgramRun } from '../helpers.js';

/** Runs the CLI to completion (for commands that exit by themselves). */
function run(args: string[], timeoutMs = 10_000): Promise<ProgramRun> {
  return runProgram(process.execPath, [BIN, ...args], { timeoutMs });
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('rivulet-server command line', () => {
  let dir: string;
  before(() => {
    dir = tmpDir('rivulet-cli-');
  });
  after(() => rmrf(dir));

  it('--version prints the rivulet and Redis versions and exits 0', async () => {
    const r = await run(['--version']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^rivulet server v=\d+\.\d+\.\d+ redis=7\.4\.0 node=v\d+/);
    expect((await run(['-v'])).stdout).to.equal(r.stdout);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('Usage: ./rivulet-server [/path/to/rivulet.conf] [options] [-]');
    expect((await run(['-h'])).stdout).to.equal(r.stdout);
  });

  it('reads a config file, and command-line flags override it', async () => {
    const file = path.join(dir, 'flags.conf');
    fs.writeFileSync(file, '# test\nhz 20\nmaxmemory-policy allkeys-lru\nappendonly no\n');
    const proc = await startRivuletProcess([file, '--hz', '30', '--dir', dir]);
    try {
      const c = connect(proc.port);
      expect(await c.call('CONFIG', 'GET', 'hz')).to.deep.equal(['hz', '30']);
      expect(await c.call('CONFIG', 'GET', 'maxmemory-policy')).to.deep.equal(['maxmemory-policy', 'allkeys-lru']);
      expect((await c.info('server')) as string).to.contain(`config_file:${file}\r\n`);
      c.disconnect();
    } finally {
      await proc.stop();
    }
  });

  it('a bad directive in the file is a FATAL CONFIG FILE ERROR naming the line, and exit code 1', async () => {
    const file = path.join(dir, 'bad.conf');
    fs.writeFileSync(file, 'port 7777\n# comment\nnosuch-directive yes\n');
    const r = await run([file]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.4.0) ***\nReading the configuration file, at line 3\n>>> 'nosuch-directive yes'\nBad directive or wrong number of arguments\n",
    );
  });

  it('a bad flag value is reported like redis-server does (quoted value, line after the file)', async () => {
    const r = await run(['--port', 'abc']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.equal(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.4.0) ***\nReading the configuration file, at line 2\n>>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n",
    );
  });

  it('the fatal error text matches redis-server\'s apart from the version', async function () {
    if (!HAVE_REDIS) this.skip(); // redis-server not installed
    const file = path.join(dir, 'bad2.conf');
    fs.writeFileSync(file, 'hz 10\nmaxmemory lots\n');
    const ours = await run([file]);
    const theirs = await new Promise<string>((resolve) => {
      const p = spawn(ORACLE_BIN, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('exit', () => resolve(err));
    });
    expect(ours.stderr.replace('Redis 7.4.0', 'Redis X')).to.equal(theirs.replace(/Redis \d+\.\d+\.\d+/, 'Redis X'));
  });

  it('a missing config file is a clear error with exit code 1', async () => {
    const r = await run([path.join(dir, 'nope.conf')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`Fatal error, can't open config file '${path.join(dir, 'nope.conf')}': No such file or directory`);
  });

  it('a port already in use is a clear error and exit code 1', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const r = await run(['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'no']);
      expect(r.code).to.equal(1);
      expect(r.stdout + r.stderr).to.contain(`Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`);
      expect(r.stderr).to.contain(`Failed listening on port ${port} (tcp), aborting.`);
    } finally {
      blocker.close();
    }
  });

  it('--port 0 listens on an ephemeral port and logs it', async () => {
    const p = spawn(process.execPath, [BIN, '--port', '0', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    try {
      await waitFor(() => /listening on port (\d+)/.test(out));
      const port = Number(/listening on port (\d+)/.exec(out)![1]);
      expect(port).to.be.greaterThan(0);
      const c = connect(port);
      expect(await c.ping()).to.equal('PONG');
      c.disconnect();
    } finally {
      p.kill('SIGKILL');
    }
  });

  it('SIGTERM shuts down cleanly: "bye bye" in the log and exit code 0', async () => {
    const proc = await startRivuletProcess(['--dir', dir]);
    const exited = new Promise<number | null>((r) => proc.proc.once('exit', (code) => r(code)));
    proc.proc.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(proc.output()).to.contain('Received SIGTERM scheduling shutdown...');
    expect(proc.output()).to.contain('bye bye');
  });

  it('a config can be read from stdin with "-"', async () => {
    const port = await freePort();
    const p = spawn(process.execPath, [BIN, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdin.end(`port ${port}\nappendonly no\nhz 42\n`);
    try {
      await waitForPing(port);
      const c = connect(port);
      expect(await c.call('CONFIG', 'GET', 'hz')).to.deep.equal(['hz', '42']);
      c.disconnect();
    } finally {
      p.kill('SIGKILL');
    }
  });
});
