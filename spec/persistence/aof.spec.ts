/**
 * The AOF seen from clients of an embedded server: what is written, what a
 * restart on the same directory gives back, rewrite, INFO, run-time config,
 * disk errors (MISCONF), group commit, DEBUG RELOAD/LOADAOF.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startRivulet, tmpDir, rmrf, RawConnection, sleep, normalise, waitRewriteDone } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';
import { aofOf } from '../../lib/persistence/index.js';
import { realIo, type AofIo } from '../../lib/persistence/writer.js';

const AOFDIR = 'appendonlydir';

function manifest(dir: string): string {
  return fs.readFileSync(path.join(dir, AOFDIR, 'appendonly.aof.manifest'), 'latin1');
}

async function restart(srv: RivuletServer, dir: string, opts: Record<string, string> = {}): Promise<RivuletServer> {
  await srv.close();
  return startRivulet({ dir, ...opts });
}

describe('AOF: writing and loading', function () {
  let dir: string;
  let srv: RivuletServer;
  let c: RawConnection;

  beforeEach(async () => {
    dir = tmpDir('rivulet-aof-');
    srv = await startRivulet({ dir, appendfsync: 'always' });
    c = await RawConnection.open(srv.port);
  });
  afterEach(async () => {
    c.close();
    await srv.close();
    rmrf(dir);
  });

  it('creates the Redis 7 layout on a fresh start: an empty base, an incr file and the manifest', () => {
    expect(manifest(dir)).to.equal('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(fs.statSync(path.join(dir, AOFDIR, 'appendonly.aof.1.base.aof')).size).to.equal(0);
  });

  it('logs writes as RESP commands with SELECT where the database changes', async () => {
    await c.call('SET', 'a', '1');
    await c.call('SELECT', '2');
    await c.call('SET', 'b', '2');
    await c.call('GET', 'b');
    await c.call('SELECT', '0');
    await c.call('SET', 'c', '3');
    const incr = fs.readFileSync(path.join(dir, AOFDIR, 'appendonly.aof.1.incr.aof'), 'latin1');
    expect(incr).to.equal(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n' +
        '*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n' +
        '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n',
    );
  });

  it('logs a transaction as one MULTI ... EXEC unit', async () => {
    await c.call('MULTI');
    await c.call('SET', 'x', '1');
    await c.call('SET', 'y', '2');
    expect(await c.call('EXEC')).to.deep.equal(['OK', 'OK']);
    const incr = fs.readFileSync(path.join(dir, AOFDIR, 'appendonly.aof.1.incr.aof'), 'latin1');
    expect(incr).to.contain('*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\ny\r\n$1\r\n2\r\n*1\r\n$4\r\nEXEC\r\n');
  });

  it('gives strings, expiries and databases back after a restart', async () => {
    await c.call('SET', 'plain', 'v');
    await c.call('SET', 'vol', 'w', 'EX', '1000');
    await c.call('SELECT', '5');
    await c.call('SET', 'in5', 'x');
    c.close();
    srv = await restart(srv, dir);
    c = await RawConnection.open(srv.port);
    expect(await c.call('GET', 'plain')).to.equal('v');
    const ttl = (await c.call('TTL', 'vol')) as number;
    expect(ttl).to.be.within(998, 1000);
    await c.call('SELECT', '5');
    expect(await c.call('GET', 'in5')).to.equal('x');
  });

  it('gives streams, consumer groups and PELs back after a restart and after a rewrite', async () => {
    for (let i = 1; i <= 5; i++) await c.call('XADD', 's', `${i}-1`, 'f', `v${i}`);
    await c.call('XDEL', 's', '2-1');
    await c.call('XGROUP', 'CREATE', 's', 'g', '0');
    await c.call('XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>');
    await c.call('XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', '>');
    await c.call('XACK', 's', 'g', '1-1');
    await c.call('XGROUP', 'CREATECONSUMER', 's', 'g', 'carol');
    await c.call('XGROUP', 'CREATE', 's', 'g2', '$');
    const snapshot = async (): Promise<unknown[]> => {
      const full = (await c.call('XINFO', 'STREAM', 's', 'FULL')) as unknown[];
      // seen-time/active-time of consumers move with the clock: compare the rest.
      return [
        await c.call('XRANGE', 's', '-', '+'),
        stripTimes(full),
        await c.call('XPENDING', 's', 'g'),
        await c.call('XLEN', 's'),
      ];
    };
    const before = await snapshot();
    c.close();
    srv = await restart(srv, dir);
    c = await RawConnection.open(srv.port);
    expect(await snapshot()).to.deep.equal(before);
    expect(await c.call('BGREWRITEAOF')).to.equal('Background append only file rewriting started');
    await waitRewriteDone(srv.port, 200);
    c.close();
    srv = await restart(srv, dir);
    c = await RawConnection.open(srv.port);
    expect(await snapshot()).to.deep.equal(before);
  });

  it('BGREWRITEAOF compacts into a new base plus a fresh incr file and swaps the manifest', async () => {
    for (let i = 0; i < 50; i++) await c.call('SET', 'k', String(i));
    await c.call('SET', 'other', 'o');
    expect(await c.call('BGREWRITEAOF')).to.equal('Background append only file rewriting started');
    expect(normalise(await c.call('BGREWRITEAOF'))).to.deep.equal({ error: 'ERR Background append only file rewriting already in progress' });
    await waitRewriteDone(srv.port, 200);
    expect(manifest(dir)).to.equal('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    expect(fs.readdirSync(path.join(dir, AOFDIR)).sort()).to.deep.equal([
      'appendonly.aof.2.base.aof',
      'appendonly.aof.2.incr.aof',
      'appendonly.aof.manifest',
    ]);
    const base = fs.readFileSync(path.join(dir, AOFDIR, 'appendonly.aof.2.base.aof'), 'latin1');
    expect(base).to.equal(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n49\r\n*3\r\n$3\r\nSET\r\n$5\r\nother\r\n$1\r\no\r\n',
    );
    const info = String(await c.call('INFO', 'persistence'));
    expect(info).to.match(/aof_rewrites:1\r\n/);
    expect(info).to.match(/aof_last_bgrewrite_status:ok\r\n/);
    expect(info).to.match(/aof_enabled:1\r\n/);
    expect(info).to.match(/aof_current_size:\d+\r\n/);
  });

  it('writes made while a rewrite runs land in the new incr file and survive', async () => {
    const big = 'x'.repeat(1000);
    for (let i = 0; i < 3000; i++) c.write(encode(['SET', `k${i}`, big]));
    for (let i = 0; i < 3000; i++) await c.next();
    await c.call('BGREWRITEAOF');
    for (let i = 0; i < 200; i++) await c.call('SET', `during${i}`, String(i));
    await waitRewriteDone(srv.port, 200);
    await c.call('SET', 'after', 'yes');
    c.close();
    srv = await restart(srv, dir);
    c = await RawConnection.open(srv.port);
    expect(await c.call('DBSIZE')).to.equal(3201);
    expect(await c.call('GET', 'during199')).to.equal('199');
    expect(await c.call('GET', 'k2999')).to.equal(big);
  });

  it('DEBUG LOADAOF and DEBUG RELOAD give back the same data', async () => {
    await c.call('SET', 'a', '1');
    await c.call('XADD', 's', '1-1', 'f', 'v');
    await c.call('XGROUP', 'CREATE', 's', 'g', '0');
    await c.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    const pending = await c.call('XPENDING', 's', 'g');
    expect(await c.call('DEBUG', 'LOADAOF')).to.equal('OK');
    expect(await c.call('GET', 'a')).to.equal('1');
    expect(await c.call('XPENDING', 's', 'g')).to.deep.equal(pending);
    expect(await c.call('DEBUG', 'RELOAD')).to.equal('OK');
    expect(await c.call('GET', 'a')).to.equal('1');
    expect(await c.call('XPENDING', 's', 'g')).to.deep.equal(pending);
    expect(normalise(await c.call('DEBUG', 'RELOAD', 'BOGUS'))).to.deep.equal({ error: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.' });
    expect(normalise(await c.call('DEBUG', 'NOPE'))).to.deep.equal({ error: "ERR unknown subcommand 'NOPE'. Try DEBUG HELP." });
  });

  it('DEBUG SLEEP stops the server for the given time', async () => {
    const t0 = Date.now();
    expect(await c.call('DEBUG', 'SLEEP', '0.2')).to.equal('OK');
    expect(Date.now() - t0).to.be.at.least(190);
    expect(await c.call('DEBUG', 'SLEEP', '0')).to.equal('OK');
  });
});

describe('AOF: fsync policies and disk errors', function () {
  let dir: string;
  let srv: RivuletServer;
  let c: RawConnection;

  beforeEach(async () => {
    dir = tmpDir('rivulet-aof-');
    srv = await startRivulet({ dir, appendfsync: 'always' });
    c = await RawConnection.open(srv.port);
  });
  afterEach(async () => {
    c.close();
    const w = aofOf(srv.server).writer;
    if (w) w.io = realIo;
    await srv.close();
    rmrf(dir);
  });

  it('with appendfsync always, a write is acknowledged only after an fsync covering it, one fsync per batch', async () => {
    const w = aofOf(srv.server).writer!;
    const events: string[] = [];
    let fsyncs = 0;
    const io: AofIo = {
      ...realIo,
      writeSync: (fd, buf) => {
        events.push('write');
        return realIo.writeSync(fd, buf);
      },
      fdatasync: (fd, cb) => {
        fsyncs++;
        realIo.fdatasync(fd, (err) => {
          events.push('fsync');
          cb(err);
        });
      },
    };
    w.io = io;
    const conns = await Promise.all([1, 2, 3, 4].map(() => RawConnection.open(srv.port)));
    const replies = conns.map((k, i) =>
      k.call('SET', `k${i}`, 'v').then((r) => {
        events.push('reply');
        return r;
      }),
    );
    expect(await Promise.all(replies)).to.deep.equal(['OK', 'OK', 'OK', 'OK']);
    for (const k of conns) k.close();
    expect(events.indexOf('fsync')).to.be.greaterThan(-1);
    expect(events.indexOf('fsync')).to.be.lessThan(events.indexOf('reply'));
    // Group commit: four clients' writes needed at most as many fsyncs as batches, never one per reply burst.
    expect(fsyncs).to.be.at.most(4);
    // 1000 pipelined writes: a handful of fsyncs, not 1000.
    fsyncs = 0;
    for (let i = 0; i < 1000; i++) c.write(encode(['SET', `p${i}`, 'v']));
    for (let i = 0; i < 1000; i++) expect(await c.next()).to.equal('OK');
    expect(fsyncs).to.be.within(1, 20);
  });

  it('a failing write refuses writes with MISCONF, keeps reads working, and recovers', async () => {
    await c.call('SET', 'k', 'before');
    const w = aofOf(srv.server).writer!;
    let failing = true;
    w.io = {
      ...realIo,
      writeSync: (fd, buf) => {
        if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return realIo.writeSync(fd, buf);
      },
    };
    // The write that hits the error is applied in memory but not acknowledged until the disk recovers.
    const held = c.call('SET', 'k', 'during');
    await sleep(50);
    const other = await RawConnection.open(srv.port);
    expect(normalise(await other.call('SET', 'x', '1'))).to.deep.equal({ error: 'MISCONF Errors writing to the AOF file: No space left on device' });
    expect(await other.call('EXISTS', 'k')).to.equal(1);
    const info = String(await other.call('INFO', 'persistence'));
    expect(info).to.match(/aof_last_write_status:err\r\n/);
    failing = false;
    expect(await held).to.equal('OK');
    for (let i = 0; i < 100; i++) {
      const r = await other.call('SET', 'x', '1');
      if (r === 'OK') break;
      await sleep(50);
    }
    expect(await other.call('SET', 'x', '2')).to.equal('OK');
    other.close();
    c.close();
    srv = await restart(srv, dir);
    c = await RawConnection.open(srv.port);
    expect(await c.call('GET', 'k')).to.equal('during');
    expect(await c.call('GET', 'x')).to.equal('2');
  });

  it('a failing fsync under appendfsync always holds the reply and refuses further writes', async () => {
    const w = aofOf(srv.server).writer!;
    let failing = true;
    w.io = {
      ...realIo,
      fdatasync: (fd, cb) => (failing ? setImmediate(() => cb(Object.assign(new Error('EIO'), { code: 'EIO' }))) : realIo.fdatasync(fd, cb)),
    };
    let acked = false;
    const p = c.call('SET', 'k', 'v').then((r) => {
      acked = true;
      return r;
    });
    await sleep(100);
    expect(acked).to.equal(false);
    const other = await RawConnection.open(srv.port);
    expect(normalise(await other.call('SET', 'y', '1'))).to.deep.equal({ error: 'MISCONF Errors writing to the AOF file: Input/output error' });
    // As Redis's processCommand: PING is refused too under MISCONF (health checks notice); reads are served.
    expect(normalise(await other.call('PING'))).to.deep.equal({ error: 'MISCONF Errors writing to the AOF file: Input/output error' });
    expect(await other.call('GET', 'nope')).to.equal(null);
    other.close();
    failing = false;
    expect(await p).to.equal('OK');
  });

  it('CONFIG SET appendfsync switches the policy at run time', async () => {
    expect(await c.call('CONFIG', 'SET', 'appendfsync', 'everysec')).to.equal('OK');
    expect(aofOf(srv.server).writer!.policy).to.equal('everysec');
    expect(await c.call('SET', 'a', '1')).to.equal('OK');
    expect(await c.call('CONFIG', 'SET', 'appendfsync', 'no')).to.equal('OK');
    expect(aofOf(srv.server).writer!.policy).to.equal('no');
    expect(await c.call('SET', 'b', '1')).to.equal('OK');
    c.close();
    srv = await restart(srv, dir);
    c = await RawConnection.open(srv.port);
    expect(await c.call('MGET', 'a', 'b')).to.deep.equal(['1', '1']);
  });
});

describe('AOF: turning it on and off at run time', function () {
  let dir: string;
  let srv: RivuletServer;

  afterEach(async () => {
    await srv.close();
    rmrf(dir);
  });

  it('CONFIG SET appendonly yes writes a base from the current data, then appends', async () => {
    dir = tmpDir('rivulet-aof-');
    srv = await startRivulet({ dir, appendonly: 'no' });
    const c = await RawConnection.open(srv.port);
    await c.call('SET', 'before', '1');
    expect(fs.existsSync(path.join(dir, AOFDIR, 'appendonly.aof.manifest'))).to.equal(false);
    expect(await c.call('CONFIG', 'SET', 'appendonly', 'yes')).to.equal('OK');
    await c.call('SET', 'after', '2');
    await waitRewriteDone(srv.port, 200);
    expect(String(await c.call('INFO', 'persistence'))).to.match(/aof_enabled:1\r\n/);
    expect(manifest(dir)).to.equal('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(await c.call('CONFIG', 'SET', 'appendonly', 'no')).to.equal('OK');
    await c.call('SET', 'notlogged', '3');
    c.close();
    await srv.close();
    srv = await startRivulet({ dir });
    const d = await RawConnection.open(srv.port);
    expect(await d.call('MGET', 'before', 'after', 'notlogged')).to.deep.equal(['1', '2', null]);
    d.close();
  });

  it('upgrades a legacy single appendonly.aof in dir into the AOF directory as its base', async () => {
    dir = tmpDir('rivulet-aof-');
    fs.writeFileSync(path.join(dir, 'appendonly.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\nlegacy\r\n');
    srv = await startRivulet({ dir });
    const c = await RawConnection.open(srv.port);
    expect(await c.call('GET', 'k')).to.equal('legacy');
    c.close();
    expect(fs.existsSync(path.join(dir, 'appendonly.aof'))).to.equal(false);
    expect(manifest(dir)).to.equal('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
  });
});

function encode(args: string[]): Buffer {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return Buffer.from(s);
}

/** XINFO STREAM FULL without the clock-dependent consumer fields (seen-time, active-time). */
function stripTimes(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    if ((v[i] === 'seen-time' || v[i] === 'active-time') && i + 1 < v.length) {
      i++;
      continue;
    }
    out.push(stripTimes(v[i]));
  }
  return out;
}

describe('AOF: automatic rewrite', function () {
  it('rewrites on its own once the AOF grew by auto-aof-rewrite-percentage past auto-aof-rewrite-min-size', async () => {
    const dir = tmpDir('rivulet-aof-');
    const srv = await startRivulet({ dir, 'auto-aof-rewrite-percentage': '100', 'auto-aof-rewrite-min-size': '4kb' });
    const c = await RawConnection.open(srv.port);
    try {
      for (let i = 0; i < 100; i++) await c.call('SET', 'k', 'x'.repeat(100));
      let info = '';
      for (let i = 0; i < 100; i++) {
        info = String(await c.call('INFO', 'persistence'));
        if (/aof_rewrites:[1-9]/.test(info) && info.includes('aof_rewrite_in_progress:0')) break;
        await sleep(20);
      }
      expect(info).to.match(/aof_rewrites:[1-9]\d*\r\n/);
      expect(manifest(dir)).to.match(/^file appendonly\.aof\.\d+\.base\.aof seq \d+ type b\nfile appendonly\.aof\.\d+\.incr\.aof seq \d+ type i\n$/);
      expect(manifest(dir)).to.not.contain('appendonly.aof.1.base.aof');
    } finally {
      c.close();
      await srv.close();
      rmrf(dir);
    }
  });
});
