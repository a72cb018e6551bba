/**
 * The wire protocol as clients see it: RESP2/RESP3 replies, pipelining,
 * inline commands, malformed input — checked byte for byte against
 * redis-server where both behave the same.
 */
import net from 'node:net';
import { expect } from 'chai';
import { createClient } from 'redis';
import { startRivulet, connect, startRedis, HAVE_REDIS, RawConnection, differential, useRivulet } from '../helpers.js';

/** Writes raw bytes on a fresh connection; returns what came back within `ms` and whether the server closed the connection. */
async function exchange(port: number, data: string | Buffer, ms = 150): Promise<{ out: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data));
    let out = Buffer.alloc(0);
    let closed = false;
    const finish = (): void => {
      clearTimeout(timer);
      s.destroy();
      resolve({ out: out.toString('latin1'), closed });
    };
    s.on('data', (d) => (out = Buffer.concat([out, d])));
    // A server-side close ends the exchange at once; otherwise wait `ms` for stray replies.
    s.on('close', () => {
      closed = true;
      finish();
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      // A server that closes while part of our input is unread (or still arriving) makes the
      // kernel send a reset: redis-server does the same. Data that came before it is in `out`.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
        closed = true;
        finish();
      } else reject(err);
    });
    const timer = setTimeout(finish, ms);
  });
}

/** Inputs whose replies (and whether the connection closes) must be identical on redis-server and rivulet. */
const RAW_CASES: string[] = [
  'PING\r\n',
  'PING\n',
  '\r\n\r\nPING\r\n',
  '  ECHO   x  \r\n',
  'ECHO "\\x41"\r\n',
  'ECHO "\\xZZ"\r\n',
  'ECHO "\\n\\t\\\\\\""\r\n',
  "ECHO 'a\\'b'\r\n",
  'ECHO ""\r\n',
  'ECHO "a\r\n',
  'ECHO "a"b\r\n',
  "ECHO 'a\r\n",
  'PING\rx\r\n',
  '*1\r\n:5\r\n',
  '*abc\r\n',
  '*+1\r\n$4\r\nPING\r\n',
  '*1 \r\n$4\r\nPING\r\n',
  '*01\r\n$4\r\nPING\r\n',
  '*-0\r\nPING\r\n',
  '*1\r\n$abc\r\n',
  '*1\r\n$-1\r\n',
  '*1\r\n$04\r\nPING\r\n',
  '*1\r\n$-0\r\n',
  '*2\r\n$4\r\nECHO\r\n$5000000000000\r\n',
  '*99999999999\r\n',
  '*-1\r\nPING\r\n',
  '*0\r\nPING\r\n',
  '*1\r\n$0\r\n\r\n',
  '*1\r\n$4\r\nPINGxx',
  '*1\r\n$4\r\nPING\n',
  '*1\r\n$4\r\nPIN',
  '*3\r\n$4\r\nECHO\r\n$1\r\na\r\n',
  '*1\r\n$4\r\nPING\r\n*x\r\n',
  '$4\r\nPING\r\n',
  'ECHO a\r\n*1\r\n$4\r\nPING\r\n',
  '*2\r\n$4\r\nECHO\r\n$3\r\nabcXY*1\r\n$4\r\nPING\r\n',
  '*1' + '1'.repeat(70000),
  '*1\r\n$' + '1'.repeat(70000),
  'A'.repeat(70000),
  'NOSUCH a b\r\n',
  'ECHO\r\n',
  'PING a b\r\n',
];

describe('RESP protocol', () => {
  const fx = useRivulet();

  describe('malformed and inline input, byte for byte against redis-server', () => {
    for (const input of RAW_CASES) {
      const label = JSON.stringify(input.length > 40 ? input.slice(0, 20) + `...(${input.length} bytes)` : input);
      it(`answers ${label} exactly as redis-server does`, async function () {
        if (!fx.oracle) this.skip(); // redis-server not installed
        let [ours, theirs] = await Promise.all([exchange(fx.server.port, input), exchange(fx.oracle!.port, input)]);
        // A server that has not answered within the short wait on a busy machine looks like one
        // that never answers: compare again, waiting longer, before calling it a difference.
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          [ours, theirs] = await Promise.all([exchange(fx.server.port, input, 2000), exchange(fx.oracle!.port, input, 2000)]);
        }
        expect(ours).to.deep.equal(theirs);
      });
    }
  });

  it('before AUTH, multibulk counts above 10 and bulks above 16 KiB are refused, as redis-server does', async function () {
    if (!HAVE_REDIS) this.skip(); // redis-server not installed
    const secured = await startRivulet({ requirepass: 'pw' });
    // Started without a password (the helper waits for PING), then secured.
    const theirs = await startRedis();
    const admin = await RawConnection.open(theirs.port);
    await admin.call('CONFIG', 'SET', 'requirepass', 'pw');
    admin.close();
    try {
      const cases = [
        '*11\r\n' + '$1\r\na\r\n'.repeat(11),
        '*10\r\n' + '$1\r\na\r\n'.repeat(10),
        '*2\r\n$4\r\nECHO\r\n$16385\r\n' + 'x'.repeat(16385) + '\r\n',
        '*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*11\r\n$4\r\nECHO\r\n' + '$1\r\na\r\n'.repeat(10),
      ];
      for (const input of cases) {
        const [a, b] = await Promise.all([exchange(secured.port, input), exchange(theirs.port, input)]);
        expect(a, input.slice(0, 30)).to.deep.equal(b);
      }
      expect((await exchange(secured.port, cases[0])).out).to.equal('-ERR Protocol error: unauthenticated multibulk length\r\n');
      expect((await exchange(secured.port, cases[2])).out).to.equal('-ERR Protocol error: unauthenticated bulk length\r\n');
    } finally {
      await secured.close();
      await theirs.stop();
    }
  });

  it('a protocol error is answered with Redis\'s text, then the connection is closed', async () => {
    expect(await exchange(fx.server.port, '*1\r\n:5\r\n')).to.deep.equal({ out: "-ERR Protocol error: expected '$', got ':'\r\n", closed: true });
    expect(await exchange(fx.server.port, '*abc\r\n')).to.deep.equal({ out: '-ERR Protocol error: invalid multibulk length\r\n', closed: true });
    expect(await exchange(fx.server.port, '*1\r\n$x\r\n')).to.deep.equal({ out: '-ERR Protocol error: invalid bulk length\r\n', closed: true });
    expect(await exchange(fx.server.port, 'SET "a b\r\n')).to.deep.equal({ out: '-ERR Protocol error: unbalanced quotes in request\r\n', closed: true });
  });

  it('a client sending garbage does not disturb another client mid-pipeline', async () => {
    const good = await RawConnection.open(fx.server.port);
    good.write('ECHO one\r\n*2\r\n$4\r\nECHO\r\n$3\r\nt');
    const bad = await exchange(fx.server.port, '*1\r\n:5\r\n');
    expect(bad.closed).to.equal(true);
    good.write('wo\r\n');
    expect(await good.next()).to.deep.equal(Buffer.from('one').toString());
    expect(await good.next()).to.equal('two');
    expect(await good.call('PING')).to.equal('PONG');
    good.close();
  });

  it('inline commands take quoted arguments with escapes', async () => {
    const c = await RawConnection.open(fx.server.port);
    c.write('ECHO "a b" \r\n');
    expect(await c.next()).to.equal('a b');
    c.write("ECHO 'c d'\r\n");
    expect(await c.next()).to.equal('c d');
    c.write('ECHO "\\x41\\x42\\n"\r\n');
    expect(await c.next()).to.equal('AB\n');
    c.close();
  });

  it('10,000 pipelined commands in one write are all answered, in order', async () => {
    const c = await RawConnection.open(fx.server.port);
    const parts: string[] = [];
    for (let i = 0; i < 10_000; i++) parts.push(`*2\r\n$4\r\nECHO\r\n$${String(i).length}\r\n${i}\r\n`);
    c.write(parts.join(''));
    for (let i = 0; i < 10_000; i++) expect(await c.next()).to.equal(String(i));
    c.close();
  });

  it('ioredis pipelines thousands of commands and gets every reply in order', async () => {
    const p = fx.redis.pipeline();
    for (let i = 0; i < 5000; i++) p.echo(`m${i}`);
    const res = (await p.exec())!;
    expect(res.length).to.equal(5000);
    res.forEach(([err, v], i) => {
      expect(err).to.equal(null);
      expect(v).to.equal(`m${i}`);
    });
  });

  it('unknown commands and wrong arity use Redis\'s exact texts', async function () {
    if (!fx.oracle) this.skip(); // redis-server not installed
    await differential(fx.server.port, fx.oracle!.port, [
      ['NOSUCH'],
      ['NOSUCH', 'a', 'b'],
      ['nosuch', 'x'.repeat(200), 'y'],
      ['ECHO'],
      ['ECHO', 'a', 'b'],
      ['PING', 'a', 'b'],
      ['GET'],
      ['CONFIG'],
      ['CONFIG', 'GET'],
      ['CLIENT', 'NOSUCH'],
      ['COMMAND', 'NOSUCH'],
      ['SELECT', '99'],
      ['SELECT', 'x'],
    ]);
  });

  describe('RESP3', () => {
    it('HELLO 3 replies with a map and switches the connection to RESP3', async () => {
      const c = await RawConnection.open(fx.server.port);
      c.write('HELLO 3\r\n');
      await c.next();
      const text = c.received.toString();
      expect(text.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.4.0\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:')).to.equal(true);
      expect(text.endsWith('$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n')).to.equal(true);
      c.close();
    });

    it('RESP3 replies (maps, sets, nulls, verbatim) are byte-identical to redis-server', async function () {
      if (!fx.oracle) this.skip(); // redis-server not installed
      const script =
        'HELLO 3\r\n' +
        'CONFIG GET maxmemory\r\n' +
        'CLIENT GETNAME\r\n' +
        'COMMAND INFO ping\r\n' +
        'COMMAND INFO nosuch\r\n' +
        'INFO cluster\r\n' +
        'ECHO hi\r\n' +
        'ROLE\r\n' +
        'CONFIG GET nosuch\r\n';
      const strip = (s: string): string => s.slice(s.indexOf('modules\r\n*0\r\n') + 13);
      const [ours, theirs] = await Promise.all([exchange(fx.server.port, script, 300), exchange(fx.oracle!.port, script, 300)]);
      expect(strip(ours.out)).to.equal(strip(theirs.out));
      expect(strip(ours.out)).to.contain('%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n_\r\n');
    });

    it('node-redis with RESP 3 talks to rivulet (HELLO 3, CLIENT SETINFO, maps, nulls)', async () => {
      const client = createClient({ socket: { port: fx.server.port, host: '127.0.0.1' }, RESP: 3 });
      const errors: Error[] = [];
      client.on('error', (e: Error) => errors.push(e));
      await client.connect();
      expect(await client.ping()).to.equal('PONG');
      expect(await client.configGet('databases')).to.deep.equal({ databases: '16' });
      expect(await client.sendCommand(['CLIENT', 'GETNAME'])).to.equal(null);
      const info = String(await client.sendCommand(['CLIENT', 'INFO']));
      expect(info).to.contain(' resp=3 ');
      expect(info).to.match(/ lib-name=node-redis/);
      await client.quit();
      expect(errors).to.deep.equal([]);
    });

    it('RESET brings a RESP3 connection back to RESP2', async () => {
      const c = await RawConnection.open(fx.server.port);
      c.write('HELLO 3\r\n');
      await c.next();
      c.write('RESET\r\n');
      expect(await c.next()).to.equal('RESET');
      const before = c.received.length;
      c.write('CLIENT GETNAME\r\n');
      await c.next();
      expect(c.received.subarray(before).toString()).to.equal('$-1\r\n');
      c.close();
    });
  });

  describe('client handshakes', () => {
    it('ioredis\'s ready check (INFO, loading:0) passes and the client becomes ready', async () => {
      const c = connect(fx.server.port, { enableReadyCheck: true });
      await new Promise<void>((resolve, reject) => {
        c.once('ready', () => resolve());
        c.once('error', reject);
      });
      expect(c.status).to.equal('ready');
      expect(await c.ping()).to.equal('PONG');
      c.disconnect();
    });

    it('ioredis with a connection name sends CLIENT SETNAME and it shows in CLIENT LIST', async () => {
      const c = connect(fx.server.port, { connectionName: 'ioredis-conn' });
      await c.ping();
      expect(await c.call('CLIENT', 'GETNAME')).to.equal('ioredis-conn');
      c.disconnect();
    });
  });
});
