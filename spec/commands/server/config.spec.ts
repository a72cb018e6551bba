import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { createClient } from 'redis';
import net from 'node:net';
import { startRivulet, startRedis, connect, differential, startRivuletProcess, tmpDir, rmrf, RawConnection, useRivulet, normalise, freePort, encodeCommand, HAVE_REDIS, sortPairs } from '../../helpers.js';

describe('CONFIG', () => {
  const fx = useRivulet();

  it('CONFIG GET answers what client libraries ask for at connect time', async () => {
    expect(await fx.redis.call('CONFIG', 'GET', 'maxmemory-policy')).to.deep.equal(['maxmemory-policy', 'noeviction']);
    expect(await fx.redis.call('CONFIG', 'GET', 'databases')).to.deep.equal(['databases', '16']);
    expect(await fx.redis.call('CONFIG', 'GET', 'appendonly')).to.deep.equal(['appendonly', 'no']);
    expect(await fx.redis.call('CONFIG', 'GET', 'notify-keyspace-events')).to.deep.equal(['notify-keyspace-events', '']);
    expect(await fx.redis.call('CONFIG', 'GET', 'cluster-enabled')).to.deep.equal(['cluster-enabled', 'no']);
  });

  it('CONFIG GET takes several glob patterns and lists each parameter once', async () => {
    const r = (await fx.redis.call('CONFIG', 'GET', 'maxmemory*', 'maxmemory-policy', 'HZ')) as string[];
    const map = new Map<string, string>();
    for (let i = 0; i < r.length; i += 2) map.set(r[i], r[i + 1]);
    expect(r.length).to.equal(map.size * 2);
    expect(map.get('maxmemory')).to.equal('0');
    expect(map.get('maxmemory-policy')).to.equal('noeviction');
    expect(map.get('maxmemory-samples')).to.equal('5');
    expect(map.get('hz')).to.equal('10');
    expect(await fx.redis.call('CONFIG', 'GET', 'nosuch*')).to.deep.equal([]);
  });

  it('CONFIG GET replies with a map in RESP3', async () => {
    const c = await RawConnection.open(fx.server.port);
    c.write('HELLO 3\r\n');
    await c.next();
    const before = c.received.length;
    c.write('CONFIG GET maxmemory\r\n');
    await c.next();
    expect(c.received.subarray(before).toString()).to.equal('%1\r\n$9\r\nmaxmemory\r\n$1\r\n0\r\n');
    c.close();
    const client = createClient({ socket: { port: fx.server.port, host: '127.0.0.1' }, RESP: 3 });
    await client.connect();
    expect(await client.configGet('maxmemory-policy')).to.deep.equal({ 'maxmemory-policy': 'noeviction' });
    await client.quit();
  });

  it('CONFIG SET changes values, with units, and CONFIG GET shows them as Redis stores them', async () => {
    expect(await fx.redis.call('CONFIG', 'SET', 'maxmemory', '100mb', 'maxmemory-policy', 'ALLKEYS-LRU')).to.equal('OK');
    expect(await fx.redis.call('CONFIG', 'GET', 'maxmemory')).to.deep.equal(['maxmemory', '104857600']);
    expect(await fx.redis.call('CONFIG', 'GET', 'maxmemory-policy')).to.deep.equal(['maxmemory-policy', 'allkeys-lru']);
    await fx.redis.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction');
    await fx.redis.call('CONFIG', 'SET', 'hz', '1000');
    expect(await fx.redis.call('CONFIG', 'GET', 'hz')).to.deep.equal(['hz', '500']);
    await fx.redis.call('CONFIG', 'SET', 'hz', '10');
  });

  it('a failing CONFIG SET of several pairs changes none of them', async () => {
    await fx.redis.call('CONFIG', 'SET', 'timeout', '0');
    const err = await fx.redis.call('CONFIG', 'SET', 'timeout', '100', 'maxmemory', 'lots').catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
    );
    expect(await fx.redis.call('CONFIG', 'GET', 'timeout')).to.deep.equal(['timeout', '0']);
  });

  it('CONFIG SET requirepass takes effect for new connections', async () => {
    await fx.redis.call('CONFIG', 'SET', 'requirepass', 'pw');
    const c = await RawConnection.open(fx.server.port);
    expect(((await c.call('PING')) as Error).message).to.equal('NOAUTH Authentication required.');
    expect(await c.call('AUTH', 'pw')).to.equal('OK');
    c.close();
    await fx.redis.call('CONFIG', 'SET', 'requirepass', '');
  });

  it('CONFIG SET maxclients and timeout take effect at once', async () => {
    const n = fx.server.server.clients.size;
    await fx.redis.call('CONFIG', 'SET', 'maxclients', String(n));
    try {
      const c = await RawConnection.open(fx.server.port);
      expect(((await c.next()) as Error).message).to.equal('ERR max number of clients reached');
      await c.waitClosed();
    } finally {
      await fx.redis.call('CONFIG', 'SET', 'maxclients', '10000');
    }
    // timeout on a server of its own: every idle client there (ours too) is closed.
    const other = await startRivulet();
    try {
      const admin = await RawConnection.open(other.port);
      expect(await admin.call('CONFIG', 'SET', 'timeout', '1', 'hz', '100')).to.equal('OK');
      await admin.waitClosed(4000);
    } finally {
      await other.close();
    }
  });

  it('errors match redis-server word for word', async function () {
    if (!fx.oracle) this.skip(); // redis-server not installed
    await differential(fx.server.port, fx.oracle!.port, [
      ['CONFIG', 'SET', 'nosuch', '1'],
      ['CONFIG', 'SET', 'hz', '1', 'nosuch', '2'],
      ['CONFIG', 'SET', 'port', 'abc'],
      ['CONFIG', 'SET', 'port', '99999'],
      ['CONFIG', 'SET', 'maxmemory', '12x'],
      ['CONFIG', 'SET', 'maxmemory', '-1'],
      ['CONFIG', 'SET', 'appendonly', 'maybe'],
      ['CONFIG', 'SET', 'maxmemory-policy', 'nope'],
      ['CONFIG', 'SET', 'daemonize', 'yes'],
      ['CONFIG', 'SET', 'databases', '5'],
      ['CONFIG', 'SET', 'appendfilename', 'x'],
      ['CONFIG', 'SET', 'dir', '/tmp'],
      ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
      ['CONFIG', 'SET', 'unixsocket', '/tmp/x'],
      ['CONFIG', 'SET', 'logfile', 'x'],
      ['CONFIG', 'GET', 'enable-protected-configs'],
      ['CONFIG', 'SET', 'hz', '1', 'hz', '2'],
      ['CONFIG', 'SET', 'HZ', '1', 'hz', '2'],
      ['CONFIG', 'SET', 'hz', '-5'],
      ['CONFIG', 'SET', 'timeout', '-1'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '-1'],
      ['CONFIG', 'SET', 'save', '10 x'],
      ['CONFIG', 'SET', 'save', '10'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Kq'],
      ['CONFIG', 'SET', 'hz'],
      ['CONFIG', 'SET', 'hz', '1', 'timeout'],
      ['CONFIG', 'GET'],
      ['CONFIG'],
      ['CONFIG', 'NOSUCH'],
      ['CONFIG', 'HELP', 'extra'],
      ['CONFIG', 'RESETSTAT', 'extra'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
      ['CONFIG', 'GET', 'notify-keyspace-events'],
      ['CONFIG', 'SET', 'notify-keyspace-events', ''],
      ['CONFIG', 'SET', 'save', ''],
      ['CONFIG', 'GET', 'save'],
      ['CONFIG', 'SET', 'stream-node-max-entries', '5', 'stream-node-max-bytes', '1kb'],
      // Redis lists CONFIG GET matches in hash-table order: compare as maps.
      { cmd: ['CONFIG', 'GET', 'stream-node-max-*'], normalise: sortPairs },
      ['CONFIG', 'SET', 'stream-node-max-entries', '100', 'stream-node-max-bytes', '4096'],
      ['CONFIG', 'SET', 'loglevel', 'WARNING'],
      ['CONFIG', 'GET', 'loglevel'],
    ]);
    await fx.redis.call('CONFIG', 'SET', 'loglevel', 'warning');
  });

  it('maxmemory-clients takes a memory value or a percentage of maxmemory (N%, at most 100), as Redis', async () => {
    const c = await RawConnection.open(fx.server.port);
    const script: string[][] = [
      ['CONFIG', 'SET', 'maxmemory-clients', '10%'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'maxmemory-clients', '100%'],
      ['CONFIG', 'SET', 'maxmemory-clients', '101%'],
      ['CONFIG', 'SET', 'maxmemory-clients', '-5%'],
      ['CONFIG', 'SET', 'maxmemory-clients', '%'],
      ['CONFIG', 'SET', 'maxmemory-clients', 'abc'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'maxmemory-clients', '0%'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'maxmemory-clients', '1mb'],
      ['CONFIG', 'GET', 'maxmemory-clients'],
      ['CONFIG', 'SET', 'maxmemory-clients', '0'],
    ];
    const ours = [];
    try {
      for (const cmd of script) ours.push(normalise(await c.call(...cmd)));
    } finally {
      c.close();
    }
    const bad = (m: string) => ({ error: `ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - ${m}` });
    expect(ours).to.deep.equal([
      'OK',
      ['maxmemory-clients', '10%'],
      'OK',
      bad('percentage argument must be less or equal to 100'),
      bad('argument must be a memory or percent value'),
      bad('argument must be a memory or percent value'),
      bad('argument must be a memory or percent value'),
      ['maxmemory-clients', '100%'],
      'OK',
      ['maxmemory-clients', '0'],
      'OK',
      ['maxmemory-clients', '1048576'],
      'OK',
    ]);
    if (fx.oracle) await differential(fx.server.port, fx.oracle.port, script);
  });

  it('dir is a protected config: CONFIG SET refuses it unless enable-protected-configs allows', async () => {
    const err = await fx.redis.call('CONFIG', 'SET', 'dir', '/tmp').catch((e: Error) => e);
    expect((err as Error).message).to.equal("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    const local = await startRivulet({ 'enable-protected-configs': 'local' });
    const c = connect(local.port);
    expect(await c.call('CONFIG', 'SET', 'dbfilename', 'other.rdb')).to.equal('OK');
    c.disconnect();
    await local.close();
  });

  it('CONFIG REWRITE without a config file is refused', async () => {
    const err = await fx.redis.call('CONFIG', 'REWRITE').catch((e: Error) => e);
    expect((err as Error).message).to.equal('ERR The server is running without a config file');
  });

  it('CONFIG RESETSTAT zeroes the INFO counters', async () => {
    await fx.redis.ping();
    expect(await fx.redis.call('CONFIG', 'RESETSTAT')).to.equal('OK');
    const info = (await fx.redis.info('stats')) as string;
    expect(info).to.contain('total_commands_processed:1\r\n');
    expect(info).to.contain('total_error_replies:0\r\n');
  });
});

describe('CONFIG REWRITE', () => {
  let dir: string;
  before(() => {
    dir = tmpDir();
  });
  after(() => rmrf(dir));

  it('rewrites the file in place: comments and order kept, changed values updated, new ones appended, duplicates dropped', async () => {
    const file = path.join(dir, 'rivulet.conf');
    fs.writeFileSync(
      file,
      ['# my server', 'hz 20', '', '# memory', 'maxmemory 1mb', 'maxmemory 2mb', 'appendonly no', 'loglevel notice', ''].join('\n'),
    );
    const proc = await startRivuletProcess([file, '--dir', dir]);
    try {
      const c = connect(proc.port);
      await c.call('CONFIG', 'SET', 'maxmemory', '3mb', 'timeout', '30', 'requirepass', 'se cret"x');
      expect(await c.call('CONFIG', 'REWRITE')).to.equal('OK');
      c.disconnect();
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split('\n');
      expect(lines.slice(0, 8)).to.deep.equal(['# my server', 'hz 20', '', '# memory', 'maxmemory 3mb', 'appendonly no', 'loglevel notice', '# Generated by CONFIG REWRITE']);
      expect(lines).to.include('timeout 30');
      expect(lines).to.include('requirepass "se cret\\"x"');
      expect(lines).to.include(`port ${proc.port}`);
      expect(lines).to.include(`dir "${dir}"`);
      expect(text.endsWith('\n')).to.equal(true);
      // Only non-default values are appended.
      expect(lines.some((l) => l.startsWith('databases'))).to.equal(false);
    } finally {
      await proc.stop();
    }
  });

  it('a rewritten file starts a server with the same settings', async () => {
    const file = path.join(dir, 'again.conf');
    fs.writeFileSync(file, 'hz 15\n');
    const p1 = await startRivuletProcess([file, '--appendonly', 'no', '--dir', dir]);
    const c1 = connect(p1.port);
    await c1.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu', 'save', '', 'client-output-buffer-limit', 'pubsub 1mb 512kb 30');
    await c1.call('CONFIG', 'REWRITE');
    c1.disconnect();
    await p1.stop();
    const p2 = await startRivuletProcess([file]);
    try {
      const c2 = connect(p2.port);
      const got = (await c2.call('CONFIG', 'GET', 'maxmemory-policy', 'hz', 'save', 'client-output-buffer-limit', 'appendonly', 'dir')) as string[];
      const map = Object.fromEntries(got.flatMap((v, i) => (i % 2 === 0 ? [[v, got[i + 1]]] : [])));
      expect(map).to.deep.equal({
        'maxmemory-policy': 'allkeys-lfu',
        hz: '15',
        save: '',
        'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 30',
        appendonly: 'no',
        dir,
      });
      c2.disconnect();
    } finally {
      await p2.stop();
    }
  });
});

describe('CONFIG SET port and bind rebind the listener', () => {
  const PORT_ERR = "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.";
  const BIND_ERR = "ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.";
  /** A port some other socket holds on 127.0.0.1; close it with the returned function. */
  async function busyPort(): Promise<[number, () => Promise<void>]> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return [(s.address() as net.AddressInfo).port, () => new Promise<void>((r) => s.close(() => r()))];
  }
  const refused = (port: number): Promise<boolean> =>
    new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(false);
      });
      sock.once('error', () => resolve(true));
    });

  it('port: new connections go to the new port, the old one is closed, open connections stay', async () => {
    const srv = await startRivulet({ loglevel: 'nothing' });
    const c = await RawConnection.open(srv.port);
    const old = srv.port;
    try {
      const p = await freePort();
      expect(await c.call('CONFIG', 'SET', 'port', String(p))).to.equal('OK');
      expect(await c.call('CONFIG', 'GET', 'port')).to.deep.equal(['port', String(p)]);
      const n = await RawConnection.open(p);
      expect(await n.call('PING')).to.equal('PONG');
      n.close();
      expect(await refused(old)).to.equal(true);
      expect(await c.call('PING')).to.equal('PONG');
    } finally {
      c.close();
      await srv.close();
    }
  });

  it("a port that cannot be bound: Redis's error, the old value and listener kept", async () => {
    const srv = await startRivulet({ loglevel: 'nothing' });
    const c = await RawConnection.open(srv.port);
    const [busy, release] = await busyPort();
    try {
      const p = await freePort();
      expect(await c.call('CONFIG', 'SET', 'port', String(p))).to.equal('OK');
      expect(((await c.call('CONFIG', 'SET', 'port', String(busy))) as Error).message).to.equal(PORT_ERR);
      expect(await c.call('CONFIG', 'GET', 'port')).to.deep.equal(['port', String(p)]);
      const n = await RawConnection.open(p);
      expect(await n.call('PING')).to.equal('PONG');
      n.close();
      // Pipelined commands after the CONFIG SET wait for it and run in order.
      c.write(Buffer.concat([encodeCommand(['CONFIG', 'SET', 'port', String(busy)]), encodeCommand(['ECHO', 'after'])]));
      expect(((await c.next()) as Error).message).to.equal(PORT_ERR);
      expect(await c.next()).to.equal('after');
    } finally {
      await release();
      c.close();
      await srv.close();
    }
  });

  it("bind: an address that cannot be bound gets Redis's error and the old addresses stay", async () => {
    const srv = await startRivulet({ loglevel: 'nothing' });
    const c = await RawConnection.open(srv.port);
    try {
      const before = await c.call('CONFIG', 'GET', 'bind');
      expect(((await c.call('CONFIG', 'SET', 'bind', '192.0.2.1')) as Error).message).to.equal(BIND_ERR);
      expect(await c.call('CONFIG', 'GET', 'bind')).to.deep.equal(before);
      const n = await RawConnection.open(srv.port);
      expect(await n.call('PING')).to.equal('PONG');
      n.close();
      expect(await c.call('CONFIG', 'SET', 'bind', '127.0.0.1')).to.equal('OK');
      const m = await RawConnection.open(srv.port);
      expect(await m.call('PING')).to.equal('PONG');
      m.close();
    } finally {
      c.close();
      await srv.close();
    }
  });

  it('redis-server answers the same', async function () {
    if (!HAVE_REDIS) return this.skip(); // redis-server is not installed
    const oracle = await startRedis();
    const c = await RawConnection.open(oracle.port);
    const [busy, release] = await busyPort();
    try {
      expect(((await c.call('CONFIG', 'SET', 'port', String(busy))) as Error).message).to.equal(PORT_ERR);
      expect(await c.call('CONFIG', 'GET', 'port')).to.deep.equal(['port', String(oracle.port)]);
      expect(((await c.call('CONFIG', 'SET', 'bind', '192.0.2.1')) as Error).message).to.equal(BIND_ERR);
    } finally {
      await release();
      c.close();
      await oracle.stop();
    }
  });
});
