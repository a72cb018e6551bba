import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { connect, differential, sleep, RawConnection } from '../../helpers.js';
import { useStreamOracle } from './fixture.js';
import type { RivuletServer } from '../../../lib/index.js';
import { capture, resp3 } from './util.js';

/** XREADGROUP through ioredis's own method (its generic `call` unwraps a one-element reply array). */
function xrg(c: Redis, ...args: string[]): Promise<unknown> {
  return (c as unknown as { xreadgroup: (...a: string[]) => Promise<unknown> }).xreadgroup(...args);
}

/** Waits until the server reports `n` blocked clients. */
async function blocked(riv: RivuletServer, n: number): Promise<void> {
  for (let i = 0; i < 200 && riv.server.blocking.blockedClients !== n; i++) await sleep(5);
  expect(riv.server.blocking.blockedClients).to.equal(n);
}

describe('XREADGROUP', () => {
  const fx = useStreamOracle({ detachAof: true });

  it('delivers, replays history and refuses bad input exactly as redis-server does', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ['XADD', 's', '1-1', 'a', '1'],
      ['XADD', 's', '2-1', 'b', '2', 'c', '3'],
      ['XADD', 's', '3-1', 'd', '4'],
      ['XGROUP', 'CREATE', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '0', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '2-1'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '1', 'STREAMS', 's', '0-0'],
      ['XDEL', 's', '2-1'],
      ['XREADGROUP', 'GROUP', 'g', 'bob', 'STREAMS', 's', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'nobody', 'STREAMS', 's', '0'],
      ['XPENDING', 's', 'g'],
      ['XADD', 's', '4-1', 'e', '5'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'NOACK', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XGROUP', 'SETID', 's', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'carol', 'STREAMS', 's', '>'],
      ['XPENDING', 's', 'g'],
      ['XINFO', 'GROUPS', 's'],
      // errors
      ['XREADGROUP', 'GROUP', 'nog', 'c', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'nokey', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', '$'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'bad'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', 'x', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '-1', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'FOO', 'STREAMS', 's', '>'],
      ['XREADGROUP', 'COUNT', '1', 'STREAMS', 's', '>', 'x', 'y'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's'],
      ['SET', 'str', 'x'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'str', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's', 'str', '>', '>'],
      ['XGROUP', 'CREATE', 's2', 'g', '$', 'MKSTREAM'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', 's2', '>', '>'],
      ['XREADGROUP', 'GROUP', 'g', 'dave', 'STREAMS', 's', 's2', '0', '0'],
      ['XINFO', 'GROUPS', 's'],
    ]);
  });

  it('refuses an odd STREAMS list naming XREADGROUP and > (Redis 7.4 wording; 7.0 said XREAD and $)', async () => {
    const err = await xrg(fx.r, 'GROUP', 'g', 'c', 'STREAMS', 's', 's', '>').catch((e: Error) => e.message);
    expect(err).to.equal("ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.");
  });

  it('replies with a map keyed by stream in RESP3, and [id, nil] for a deleted pending entry', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.xadd('s', '2-1', 'g', 'w');
    await fx.r.call('XGROUP', 'CREATE', 's', 'grp', '0');
    const c3 = await resp3(fx.riv.port);
    try {
      expect(await c3.call('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 's', '>')).to.equal(
        '%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n',
      );
      await fx.r.xdel('s', '1-1');
      expect(await c3.call('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 's', '0')).to.equal(
        '%1\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-1\r\n_\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n',
      );
      expect(await c3.call('XREADGROUP', 'GROUP', 'grp', 'c', 'STREAMS', 's', '>')).to.equal('_\r\n');
    } finally {
      c3.close();
    }
  });

  it('propagates XCLAIM per delivered entry then XGROUP SETID with ENTRIESREAD (Redis 7.4; 7.0 omitted the SETID)', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.xadd('s', '2-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    const cap = capture(fx.riv);
    const dirty = fx.riv.server.dirty;
    const before = Date.now();
    await xrg(fx.r, 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    expect(cap.aof.map((a) => (a[0] === 'XCLAIM' ? [...a.slice(0, 7), 'T', ...a.slice(8)] : a))).to.deep.equal([
      ['MULTI'],
      ['XCLAIM', 's', 'g', 'alice', '0', '1-1', 'TIME', 'T', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '1-1'],
      ['XCLAIM', 's', 'g', 'alice', '0', '2-1', 'TIME', 'T', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '2-1'],
      ['XGROUP', 'SETID', 's', 'g', '2-1', 'ENTRIESREAD', '2'],
      ['EXEC'],
    ]);
    const t = Number(cap.aof[1][7]);
    expect(t).to.be.within(before, Date.now());
    // one consumer creation + one read that propagated
    expect(fx.riv.server.dirty - dirty).to.equal(2);
    expect(cap.events).to.deep.equal(['t:xgroup-createconsumer:s']);

    cap.reset();
    await xrg(fx.r, 'GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    expect(cap.aof, 'an empty read of an existing consumer propagates nothing').to.deep.equal([]);
    // Beyond Redis (which propagates nothing here and so loses the raised counts at a restart, issue 20):
    // a history read logs the XCLAIM of each re-delivered entry with its new delivery count.
    await xrg(fx.r, 'GROUP', 'g', 'alice', 'STREAMS', 's', '0');
    expect(cap.aof.map((a) => (a[0] === 'XCLAIM' ? [...a.slice(0, 7), 'T', ...a.slice(8)] : a))).to.deep.equal([
      ['MULTI'],
      ['XCLAIM', 's', 'g', 'alice', '0', '1-1', 'TIME', 'T', 'RETRYCOUNT', '2', 'FORCE', 'JUSTID', 'LASTID', '2-1'],
      ['XCLAIM', 's', 'g', 'alice', '0', '2-1', 'TIME', 'T', 'RETRYCOUNT', '2', 'FORCE', 'JUSTID', 'LASTID', '2-1'],
      ['EXEC'],
    ]);
    fx.riv.server.aof = null;
  });

  it('with NOACK adds nothing to the PEL and propagates XGROUP CREATECONSUMER then SETID', async () => {
    await fx.r.xadd('s', '5-0', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    const cap = capture(fx.riv);
    expect(await xrg(fx.r, 'GROUP', 'g', 'n', 'NOACK', 'STREAMS', 's', '>')).to.deep.equal([['s', [['5-0', ['f', 'v']]]]]);
    expect(cap.aof).to.deep.equal([
      ['MULTI'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'n'],
      ['XGROUP', 'SETID', 's', 'g', '5-0', 'ENTRIESREAD', '1'],
      ['EXEC'],
    ]);
    expect(await fx.r.call('XPENDING', 's', 'g')).to.deep.equal([0, null, null, null]);
    fx.riv.server.aof = null;
  });

  it('BLOCK waits for the next XADD and delivers it to the first blocked consumer only', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const a = connect(fx.riv.port);
    const b = connect(fx.riv.port);
    try {
      const pa = xrg(a, 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(fx.riv, 1);
      const pb = xrg(b, 'GROUP', 'g', 'b', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(fx.riv, 2);
      await fx.r.xadd('s', '7-0', 'k', 'v');
      expect(await pa).to.deep.equal([['s', [['7-0', ['k', 'v']]]]]);
      await blocked(fx.riv, 1);
      await fx.r.xadd('s', '8-0', 'k', 'w');
      expect(await pb).to.deep.equal([['s', [['8-0', ['k', 'w']]]]]);
      expect(await fx.r.call('XPENDING', 's', 'g')).to.deep.equal([2, '7-0', '8-0', [['a', '1'], ['b', '1']]]);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  it('a blocked read that is served propagates its XCLAIM and SETID on its own', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const cap = capture(fx.riv);
    const a = connect(fx.riv.port);
    try {
      const pa = xrg(a, 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>');
      await blocked(fx.riv, 1);
      await fx.r.xadd('s', '9-0', 'k', 'v');
      await pa;
      // The re-run read is its own unit: its two records are one MULTI/EXEC.
      expect(cap.aof.map((x) => x.slice(0, 6))).to.deep.equal([
        // The consumer the blocked read created (it survives a restart even if the read is never served; issue 20).
        ['XGROUP', 'CREATECONSUMER', 's', 'g', 'a'],
        ['xadd', 's', '9-0', 'k', 'v'],
        ['MULTI'],
        ['XCLAIM', 's', 'g', 'a', '0', '9-0'],
        ['XGROUP', 'SETID', 's', 'g', '9-0', 'ENTRIESREAD'],
        ['EXEC'],
      ]);
    } finally {
      a.disconnect();
      fx.riv.server.aof = null;
    }
  });

  it('BLOCK times out with a null array (RESP2 *-1)', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const c = await RawConnection.open(fx.riv.port);
    try {
      const t0 = Date.now();
      expect(await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '60', 'STREAMS', 's', '>')).to.equal(null);
      expect(Date.now() - t0).to.be.at.least(50);
      expect(c.received.toString().endsWith('*-1\r\n')).to.equal(true);
    } finally {
      c.close();
    }
  });

  it('an explicit ID never blocks: it answers at once with the (possibly empty) history', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    expect(await xrg(fx.r, 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '0')).to.deep.equal([['s', []]]);
  });

  it('deleting the stream re-runs a blocked reader, which fails with NOGROUP (Redis 7.2+ re-execution; 7.0 kept it blocked)', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const a = connect(fx.riv.port);
    try {
      const pa = xrg(a, 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>').catch((e: Error) => e.message);
      await blocked(fx.riv, 1);
      await fx.r.del('s');
      expect(await pa).to.equal("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");
      await blocked(fx.riv, 0);
    } finally {
      a.disconnect();
    }
  });

  it('FLUSHALL re-runs a blocked reader, which fails with NOGROUP, as deleting the stream does (Redis 7.2+)', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const a = connect(fx.riv.port);
    try {
      const pa = xrg(a, 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>').catch((e: Error) => e.message);
      await blocked(fx.riv, 1);
      expect(await fx.r.call('FLUSHALL')).to.equal('OK');
      expect(await pa).to.equal("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");
      await blocked(fx.riv, 0);
    } finally {
      a.disconnect();
    }
  });

  it('after FLUSHDB a blocked XREAD keeps waiting and is served by the next XADD', async () => {
    await fx.r.call('XADD', 's', '1-1', 'f', 'v');
    const a = connect(fx.riv.port);
    try {
      const pa = a.xread('BLOCK', 0, 'STREAMS', 's', '$');
      await blocked(fx.riv, 1);
      expect(await fx.r.call('FLUSHDB')).to.equal('OK');
      await blocked(fx.riv, 1);
      await fx.r.call('XADD', 's', '2-1', 'f', 'w');
      expect(await pa).to.deep.equal([['s', [['2-1', ['f', 'w']]]]]);
    } finally {
      a.disconnect();
    }
  });

  it('destroying the group releases a blocked reader with the NOGROUP error of a re-run read (Redis 7.2+)', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const a = connect(fx.riv.port);
    try {
      const pa = xrg(a, 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>').catch((e: Error) => e.message);
      await blocked(fx.riv, 1);
      expect(await fx.r.call('XGROUP', 'DESTROY', 's', 'g')).to.equal(1);
      expect(await pa).to.equal("NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");
    } finally {
      a.disconnect();
    }
  });

  it('inside MULTI/EXEC BLOCK does not block: the read answers null at once', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const res = await fx.r.multi().call('XREADGROUP', 'GROUP', 'g', 'a', 'BLOCK', '0', 'STREAMS', 's', '>').exec();
    expect(res).to.deep.equal([[null, null]]);
    expect(fx.riv.server.blocking.blockedClients).to.equal(0);
  });

  it('sets seen-time on every call and active-time only on delivery (XINFO CONSUMERS idle/inactive, 7.2+)', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    await xrg(fx.r, 'GROUP', 'g', 'a', 'STREAMS', 's', '>');
    const [info] = (await fx.r.call('XINFO', 'CONSUMERS', 's', 'g')) as unknown[][];
    expect(info.slice(0, 4)).to.deep.equal(['name', 'a', 'pending', 0]);
    expect(info[4]).to.equal('idle');
    expect(info[5]).to.be.within(0, 1000);
    expect(info.slice(6)).to.deep.equal(['inactive', -1]);
  });
});
