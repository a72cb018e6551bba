/**
 * MONITOR, differential: the same script on rivulet and redis-server (7.0 and
 * 7.4+), every byte the monitoring connection receives compared once the
 * times and client ports (which differ between servers and runs) are masked:
 * `+<secs>.<usecs>` becomes `+T`, each distinct client port `P<n>` in order of
 * appearance, a Unix socket's path `S`. Also over a Unix socket, and through
 * `redis-cli monitor`.
 */
import { expect } from 'chai';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startRivulet, startRedis, HAVE_REDIS, HAVE_REDIS_CLI, tmpDir, rmrf, encodeCommand, sleep, rawCommand, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { Session } from './operator.fixture.js';

/** Masks what differs between servers and runs; checks the time is now-ish first. */
function mask(stream: string): string {
  const now = Date.now() / 1000;
  for (const m of stream.matchAll(/^\+(\d+)\.(\d{6}) /gm)) {
    expect(Math.abs(Number(m[1]) - now), 'MONITOR timestamp is the current time').to.be.below(60);
  }
  const ports = new Map<string, string>();
  return stream
    .replace(/^\+\d+\.\d{6} /gm, '+T ')
    .replace(/127\.0\.0\.1:(\d+)/g, (_, p: string) => {
      if (!ports.has(p)) ports.set(p, `P${ports.size}`);
      return `127.0.0.1:${ports.get(p)}`;
    })
    .replace(/unix:[^\]]+\]/g, 'unix:S]');
}

describe('MONITOR', function () {
  this.timeout(30_000);
  let server: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    server = await startRivulet();
    if (HAVE_REDIS) oracle = await startRedis();
    // Lua loads on the first script (WebAssembly): run one now, so the tests' EVALs answer as fast as their other commands.
    await rawCommand(server.port, ['EVAL', 'return 1', 0]);
  });
  after(async () => {
    await server.close();
    await oracle?.stop();
  });

  /** Runs the script on one server: what each connection received, masked together (so ports are labelled consistently). */
  async function run(port: number, n: number, script: (s: Step) => Promise<void>): Promise<string[]> {
    const s = await Session.open(port, n);
    try {
      await s.call(0, 'FLUSHALL');
      await s.call(0, 'SCRIPT', 'FLUSH');
      // Each step is sent and waited for; what every connection receives is kept to the end.
      await script({
        call: async (i, ...args) => {
          await s.step(i, ...args);
          return '';
        },
        send: (i, ...args) => s.send(i, ...args),
        settle: () => s.settle(),
        take: (i) => s.take(i),
      });
      await s.settle();
      const all = Array.from({ length: n }, (_, i) => s.take(i));
      return mask(all.join('\u0000')).split('\u0000');
    } finally {
      s.close();
    }
  }

  interface Step {
    call(i: number, ...args: (string | number | Buffer)[]): Promise<string>;
    send(i: number, ...args: (string | number | Buffer)[]): void;
    settle(): Promise<void>;
    take(i: number): string;
  }

  async function same(n: number, script: (s: Step) => Promise<void>): Promise<string[]> {
    const ours = await run(server.port, n, script);
    if (oracle) expect(ours).to.deep.equal(await run(oracle.port, n, script));
    return ours;
  }

  it('shows commands run by scripts as [<db> lua] lines after the EVAL, in the database the script ran in', async () => {
    const out = await same(2, async (s) => {
      await s.call(0, 'MONITOR');
      await s.call(1, 'SELECT', 3);
      await s.call(1, 'EVAL', "redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])", 1, 'ek', 'v');
      await s.call(1, 'EVAL', "return redis.call('incrby', KEYS[1], 2)", 1, 'n');
      await s.call(1, 'SCRIPT', 'LOAD', "return redis.call('exists', KEYS[1])");
      await s.call(1, 'EVALSHA', 'ad95c310b0dfb7adea2c984de4adc78ec8fbeef6', 1, 'ek');
      // A failing EVAL is shown before it fails (Redis feeds EVAL first).
      await s.call(1, 'EVAL', 'return 1', -1);
    });
    expect(out[0]).to.equal(
      '+OK\r\n' +
        '+T [3 127.0.0.1:P0] "SELECT" "3"\r\n' +
        '+T [3 127.0.0.1:P0] "EVAL" "redis.call(\'set\', KEYS[1], ARGV[1]); return redis.call(\'get\', KEYS[1])" "1" "ek" "v"\r\n' +
        '+T [3 lua] "set" "ek" "v"\r\n' +
        '+T [3 lua] "get" "ek"\r\n' +
        '+T [3 127.0.0.1:P0] "EVAL" "return redis.call(\'incrby\', KEYS[1], 2)" "1" "n"\r\n' +
        '+T [3 lua] "incrby" "n" "2"\r\n' +
        '+T [3 127.0.0.1:P0] "SCRIPT" "LOAD" "return redis.call(\'exists\', KEYS[1])"\r\n' +
        '+T [3 127.0.0.1:P0] "EVALSHA" "ad95c310b0dfb7adea2c984de4adc78ec8fbeef6" "1" "ek"\r\n' +
        '+T [3 lua] "exists" "ek"\r\n' +
        '+T [3 127.0.0.1:P0] "EVAL" "return 1" "-1"\r\n',
    );
  });

  it('leaves out refused commands and admin commands, shows a blocked command once, redacts credentials, quotes binary arguments', async () => {
    const out = await same(3, async (s) => {
      await s.call(0, 'MONITOR');
      await s.call(1, 'NOSUCH', 'x');
      await s.call(1, 'GET');
      await s.call(1, 'CONFIG', 'GET', 'hz');
      await s.call(1, 'HELLO', 2, 'AUTH', 'default', 'secret');
      s.take(1); // (the HELLO reply names the server's version and the client id)
      await s.call(1, 'AUTH', 'x', 'y');
      await s.call(1, "SET", "bin", Buffer.from("\x00\xff\t\x07\x08\r\n\"\\ ok", "latin1"));
      s.send(2, 'BLPOP', 'bl', 0);
      await s.settle();
      await s.call(1, 'RPUSH', 'bl', 'x');
      await s.call(1, 'MULTI');
      await s.call(1, 'INCR', 'n');
      await s.call(1, 'EXEC');
    });
    expect(out[0]).to.equal(
      '+OK\r\n' +
        '+T [0 127.0.0.1:P0] "HELLO" "2" "AUTH" "(redacted)" "(redacted)"\r\n' +
        '+T [0 127.0.0.1:P0] "AUTH" "(redacted)" "(redacted)"\r\n' +
        '+T [0 127.0.0.1:P0] "SET" "bin" "\\x00\\xff\\t\\a\\b\\r\\n\\"\\\\ ok"\r\n' +
        '+T [0 127.0.0.1:P1] "BLPOP" "bl" "0"\r\n' +
        '+T [0 127.0.0.1:P0] "RPUSH" "bl" "x"\r\n' +
        '+T [0 127.0.0.1:P0] "MULTI"\r\n' +
        '+T [0 127.0.0.1:P0] "INCR" "n"\r\n' +
        '+T [0 127.0.0.1:P0] "EXEC"\r\n',
    );
  });

  it('a monitoring client may not touch the keyspace, sees its own commands after their replies, and RESET ends it', async () => {
    const out = await same(2, async (s) => {
      await s.call(0, 'MONITOR');
      await s.call(0, 'MONITOR'); // ignored: no reply
      await s.call(0, 'GET', 'k');
      await s.call(0, 'SET', 'k', 'v');
      await s.call(0, 'PING');
      await s.call(0, 'RESET');
      await s.call(1, 'SET', 'after', 'reset');
      await s.call(0, 'GET', 'after');
    });
    expect(out[0]).to.equal(
      '+OK\r\n' +
        "-ERR Replica can't interact with the keyspace\r\n" +
        "-ERR Replica can't interact with the keyspace\r\n" +
        '+PONG\r\n+T [0 127.0.0.1:P0] "PING"\r\n' +
        // RESET ends MONITOR before its own line is fed.
        '+RESET\r\n' +
        '$5\r\nreset\r\n',
    );
  });

  it('MONITOR inside MULTI fails at EXEC, as for any client that may not block', async () => {
    await same(1, async (s) => {
      await s.call(0, 'MULTI');
      await s.call(0, 'MONITOR');
      await s.call(0, 'EXEC');
      await s.call(0, 'SET', 'k', 'still a normal client');
    });
  });

  it('a client on the Unix socket is shown as unix:<path>, and CLIENT LIST flags a monitor O and a Unix client U', async () => {
    const dir = tmpDir('rivulet-monitor-');
    const runUnix = async (sock: string, tcpPort: number): Promise<string[]> => {
      const mon = await Session.open(tcpPort, 1);
      const unix = net.connect(sock);
      let got = '';
      unix.on('data', (d) => (got += d.toString('latin1')));
      await new Promise((r) => unix.once('connect', r));
      try {
        await mon.call(0, 'MONITOR');
        unix.write(encodeCommand(['SET', 'u', '1']));
        unix.write(encodeCommand(['CLIENT', 'INFO']));
        await mon.settle();
        await sleep(50);
        const info = /flags=(\w+)/.exec(got)?.[1] ?? '';
        return [mask(mon.take(0)), info];
      } finally {
        unix.destroy();
        mon.close();
      }
    };
    const ours = await startRivulet({ unixsocket: path.join(dir, 'riv.sock') });
    try {
      const mine = await runUnix(path.join(dir, 'riv.sock'), ours.port);
      expect(mine).to.deep.equal(['+T [0 unix:S] "SET" "u" "1"\r\n+T [0 unix:S] "CLIENT" "INFO"\r\n', 'U']);
      if (HAVE_REDIS) {
        const theirs = await startRedis(['--unixsocket', path.join(dir, 'redis.sock')]);
        try {
          expect(mine).to.deep.equal(await runUnix(path.join(dir, 'redis.sock'), theirs.port));
        } finally {
          await theirs.stop();
        }
      }
      const s = await Session.open(ours.port, 2);
      try {
        await s.call(0, 'MONITOR');
        expect(await s.call(1, 'CLIENT', 'LIST')).to.match(/ flags=O /);
      } finally {
        s.close();
      }
    } finally {
      await ours.close();
      rmrf(dir);
    }
  });

  (HAVE_REDIS_CLI ? it : it.skip)('redis-cli monitor prints the stream (skipped without redis-cli)', async () => {
    const cli = spawn('redis-cli', ['-p', String(server.port), 'monitor'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    cli.stdout.on('data', (d) => (out += d.toString()));
    try {
      const deadline = Date.now() + 5000;
      while (!out.includes('OK') && Date.now() < deadline) await sleep(20);
      const s = await Session.open(server.port, 1);
      try {
        await s.call(0, 'SET', 'cli', 'a b');
        await s.call(0, 'EVAL', "return redis.call('get', 'cli')", 0);
      } finally {
        s.close();
      }
      while (!out.includes('lua]') && Date.now() < deadline) await sleep(20);
      const lines = out.trim().split('\n');
      expect(lines[0]).to.equal('OK');
      expect(lines.slice(1).map((l) => l.replace(/^\d+\.\d{6} /, 'T ').replace(/127\.0\.0\.1:\d+/, 'C'))).to.deep.equal([
        'T [0 C] "SET" "cli" "a b"',
        'T [0 C] "EVAL" "return redis.call(\'get\', \'cli\')" "0"',
        'T [0 lua] "get" "cli"',
      ]);
    } finally {
      cli.kill();
    }
  });
});
