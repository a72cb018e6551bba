/**
 * MIGRATE between rivulet and redis-server, both directions: keys arrive
 * with their values and TTLs, are removed at the source unless COPY, and
 * the replies and errors are redis-server's (compared differentially where
 * both sides can run the same command).
 */
import { expect } from 'chai';
import { RawConnection, startRedis, startRivulet, ORACLE_AT_LEAST_7_2, freePort, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

const text = (r: Reply): string => (r instanceof Error ? `ERR:${r.message}` : Array.isArray(r) ? JSON.stringify(r.map((x) => String(x))) : String(r));

describe('MIGRATE', function () {
  this.timeout(60000);
  let riv: RivuletServer;
  let target: ExternalServer; // redis-server receiving from rivulet
  let source: ExternalServer; // redis-server sending to rivulet (and the differential twin)
  let a: RawConnection;
  let t: RawConnection;
  let s: RawConnection;

  before(async () => {
    riv = await startRivulet();
    target = await startRedis();
    source = await startRedis();
    a = await RawConnection.open(riv.port);
    t = await RawConnection.open(target.port);
    s = await RawConnection.open(source.port);
  });
  after(async () => {
    a.close();
    t.close();
    s.close();
    await riv.close();
    await target.stop();
    await source.stop();
  });
  beforeEach(async () => {
    for (const c of [a, t, s]) await c.call('FLUSHALL');
  });

  it('moves strings and streams (with groups) from rivulet to redis-server, keeping TTLs, and deletes them here', async function () {
    if (!ORACLE_AT_LEAST_7_2) this.skip(); // redis-server 7.0 refuses RDB 12 payloads (as it refuses Redis 7.4's): no MIGRATE from rivulet to 7.0
    await a.call('SET', 'k', 'v', 'PX', '100000');
    await a.call('XADD', 's', '1-1', 'f', 'v');
    await a.call('XGROUP', 'CREATE', 's', 'g', '0');
    await a.call('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '>');
    expect(await a.call('MIGRATE', '127.0.0.1', target.port, 'k', 0, 5000)).to.equal('OK');
    expect(await a.call('EXISTS', 'k')).to.equal(0);
    expect(await t.call('GET', 'k')).to.equal('v');
    expect((await t.call('PTTL', 'k')) as number).to.be.within(90000, 100000);
    expect(await a.call('MIGRATE', '127.0.0.1', target.port, '', 3, 5000, 'COPY', 'KEYS', 's', 'missing')).to.equal('OK');
    expect(await a.call('EXISTS', 's')).to.equal(1);
    await t.call('SELECT', 3);
    expect(text(await t.call('XPENDING', 's', 'g'))).to.equal(text(await a.call('XPENDING', 's', 'g')));
    await t.call('SELECT', 0);
    // Again without REPLACE: the target refuses, the key stays here.
    expect(text(await a.call('MIGRATE', '127.0.0.1', target.port, '', 3, 5000, 'KEYS', 's'))).to.equal('ERR:ERR Target instance replied with error: BUSYKEY Target key name already exists.');
    expect(await a.call('EXISTS', 's')).to.equal(1);
    expect(await a.call('MIGRATE', '127.0.0.1', target.port, 's', 3, 5000, 'REPLACE')).to.equal('OK');
    expect(await a.call('EXISTS', 's')).to.equal(0);
  });

  it('redis-server migrates into rivulet', async () => {
    await s.call('SET', 'k', 'hello', 'PX', '100000');
    await s.call('XADD', 'st', '1-1', 'f', 'v');
    expect(await s.call('MIGRATE', '127.0.0.1', riv.port, '', 0, 5000, 'KEYS', 'k', 'st')).to.equal('OK');
    expect(await a.call('GET', 'k')).to.equal('hello');
    expect((await a.call('PTTL', 'k')) as number).to.be.within(90000, 100000);
    expect(text(await a.call('XRANGE', 'st', '-', '+'))).to.contain('1-1');
    expect(await s.call('EXISTS', 'k', 'st')).to.equal(0);
  });

  it('answers NOKEY, argument errors and unreachable targets as redis-server does', async () => {
    const dead = await freePort();
    const script: (string | number)[][] = [
      ['MIGRATE', '127.0.0.1', dead, 'nokey', 0, 100],
      ['SET', 'k', 'v'],
      ['MIGRATE', '127.0.0.1', dead, 'k', 0, 100],
      ['MIGRATE', '127.0.0.1', dead, 'k', 'x', 100],
      ['MIGRATE', '127.0.0.1', dead, 'k', 0, 'y'],
      ['MIGRATE', '127.0.0.1', dead, 'k', 0, 100, 'BOGUS'],
      ['MIGRATE', '127.0.0.1', dead, 'k', 0, 100, 'AUTH'],
      ['MIGRATE', '127.0.0.1', dead, 'k', 0, 100, 'AUTH2', 'u'],
      ['MIGRATE', '127.0.0.1', dead, 'k', 0, 100, 'KEYS', 'k'],
      ['MIGRATE', '127.0.0.1', dead, '', 0, 100, 'KEYS', 'nokey'],
      ['MIGRATE', '127.0.0.1', dead],
      ['EXISTS', 'k'],
      ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '5', 'AUTH', 'p', 'KEYS', 'a', 'b'],
      ['COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', 'key', '0', '5', 'COPY'],
    ];
    for (const cmd of script) expect(text(await a.call(...cmd)), cmd.join(' ')).to.equal(text(await s.call(...cmd)));
  });

  it('a target error (wrong password) is reported and the key stays', async () => {
    await t.call('CONFIG', 'SET', 'requirepass', 'secret');
    try {
      await a.call('SET', 'k', 'v');
      const ours = text(await a.call('MIGRATE', '127.0.0.1', target.port, 'k', 0, 5000, 'AUTH', 'wrong'));
      await s.call('SET', 'k', 'v');
      const theirs = text(await s.call('MIGRATE', '127.0.0.1', target.port, 'k', 0, 5000, 'AUTH', 'wrong'));
      expect(ours).to.equal(theirs);
      expect(await a.call('EXISTS', 'k')).to.equal(1);
    } finally {
      const admin = await RawConnection.open(target.port);
      await admin.call('AUTH', 'secret');
      await admin.call('CONFIG', 'SET', 'requirepass', '');
      admin.close();
    }
  });
});
