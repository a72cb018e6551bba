/**
 * The engine issue's divergences from redis-server, each checked over TCP:
 * keyspace hits/misses for stream reads, parser limits read live by open
 * connections, held replies counted by backpressure, a connection closed
 * (not half-closed) after a protocol error, qbuf of the running command, and
 * a big argument arriving in many chunks.
 */
import net from 'node:net';
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, encodeCommand, sleep, HAVE_REDIS, tmpDir, rmrf, type ExternalServer } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import type { Connection } from '../../lib/network/connection.js';

function infoField(info: unknown, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(String(info));
  return m ? m[1].trim() : '';
}

describe('engine: divergences from Redis fixed by the engine split', function () {
  this.timeout(60000);
  let riv: RivuletServer;
  let oracle: ExternalServer | null = null;
  before(async () => {
    riv = await startRivulet();
    if (HAVE_REDIS) oracle = await startRedis();
  });
  after(async () => {
    await riv.close();
    await oracle?.stop();
  });

  it('stream reads count keyspace_hits and keyspace_misses as redis-server does', async () => {
    const script: (string | number)[][] = [
      ['XADD', 's', '1-1', 'f', 'v'],
      ['XRANGE', 's', '-', '+'],
      ['XRANGE', 'nope', '-', '+'],
      ['XLEN', 's'],
      ['XLEN', 'nope'],
      ['XREAD', 'STREAMS', 's', 'nope', '0', '0'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XINFO', 'STREAM', 's'],
      ['XACK', 's', 'g', '1-1'],
      ['XDEL', 's', '1-1'],
    ];
    const run = async (port: number): Promise<string[]> => {
      const c = await RawConnection.open(port);
      try {
        await c.call('FLUSHALL');
        await c.call('CONFIG', 'RESETSTAT');
        for (const cmd of script) await c.call(...cmd);
        const info = await c.call('INFO', 'stats');
        return [infoField(info, 'keyspace_hits'), infoField(info, 'keyspace_misses')];
      } finally {
        c.close();
      }
    };
    const ours = await run(riv.port);
    expect(Number(ours[0]), 'hits').to.be.above(0);
    expect(Number(ours[1]), 'misses').to.be.above(0);
    if (oracle) expect(ours).to.deep.equal(await run(oracle.port));
  });

  it('CONFIG SET proto-max-bulk-len reaches a connection that is already open', async () => {
    const victim = await RawConnection.open(riv.port);
    const admin = await RawConnection.open(riv.port);
    try {
      expect(await victim.call('PING')).to.equal('PONG');
      expect(await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).to.equal('OK');
      victim.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${2 * 1024 * 1024}\r\n`);
      const r = await victim.next();
      expect((r as Error).message).to.equal('ERR Protocol error: invalid bulk length');
      await victim.waitClosed();
    } finally {
      await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '512mb');
      victim.close();
      admin.close();
    }
  });

  it('closes the connection after a protocol error: the client cannot go on writing', async () => {
    const sock = net.connect(riv.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    let got = '';
    sock.on('data', (d) => (got += d.toString('latin1')));
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.on('error', () => {});
    sock.write('*1\r\n$abc\r\n');
    await closed;
    expect(got).to.equal('-ERR Protocol error: invalid bulk length\r\n');
    expect(sock.destroyed).to.equal(true);
  });

  it('CLIENT LIST reports qbuf as the size of the command being run', async () => {
    const c = await RawConnection.open(riv.port);
    try {
      const line = String(await c.call('CLIENT', 'INFO'));
      // *2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n is 26 bytes, as redis-server reports for the same request.
      expect(/qbuf=(\d+)/.exec(line)![1]).to.equal('26');
    } finally {
      c.close();
    }
  });

  it('a 4 MB argument sent in 1 KB pieces arrives whole and is stored', async () => {
    const value = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 0xff;
    const req = encodeCommand(['SET', 'big', value]);
    const sock = net.connect(riv.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    let got = '';
    sock.on('data', (d) => (got += d.toString('latin1')));
    for (let off = 0; off < req.length; off += 1024) {
      sock.write(req.subarray(off, off + 1024));
      if (off % (256 * 1024) === 0) await sleep(1);
    }
    for (let i = 0; i < 1000 && got === ''; i++) await sleep(10);
    sock.destroy();
    expect(got).to.equal('+OK\r\n');
    const stored = riv.server.dbs[0].peek('big') as Buffer;
    expect(Buffer.compare(stored, value)).to.equal(0);
  });
});

describe('engine: replies held for the AOF count for backpressure', function () {
  this.timeout(60000);
  let riv: RivuletServer;
  let dir: string;
  before(async () => {
    dir = tmpDir();
    riv = await startRivulet({ dir, appendfsync: 'always' });
  });
  after(async () => {
    await riv.close();
    rmrf(dir);
  });

  it('a client that never reads stops being read, even when its replies wait for fsync', async () => {
    const sock = net.connect(riv.port, '127.0.0.1');
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.pause(); // never read a byte
    const mb = Buffer.alloc(1024 * 1024, 97);
    const setup = await RawConnection.open(riv.port);
    await setup.call('SET', 'mb', mb);
    // Each request writes (so its reply is held for the fsync) and asks for 1 MB back.
    const batch = Buffer.concat([encodeCommand(['INCR', 'n']), encodeCommand(['GET', 'mb'])]);
    for (let i = 0; i < 60; i++) sock.write(batch);
    const conn = (): Connection | undefined =>
      [...riv.server.clients.values()].map((s) => s.link as Connection).find((c) => c.socket.remotePort === sock.localPort);
    for (let i = 0; i < 400 && !conn()?.socket.isPaused(); i++) await sleep(25);
    expect(conn()!.socket.isPaused(), 'reads paused').to.equal(true);
    await sleep(300);
    // Bounded by the pause threshold plus one read's worth, not 60 MB.
    expect(conn()!.outputBytes()).to.be.below(40 * 1024 * 1024);
    expect(await setup.call('PING')).to.equal('PONG');
    setup.close();
    sock.destroy();
  });
});
