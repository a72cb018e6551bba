import { expect } from 'chai';
import { differential, sleep, maskPendingIdle, type Step } from '../../helpers.js';
import { useStreamOracle } from './fixture.js';
import { capture, resp3 } from './util.js';

/** XPENDING rows without their idle time (nondeterministic between servers). */
function pendingNoIdle(cmd: (string | number)[]): Step {
  return {
    cmd,
    normalise: maskPendingIdle,
  };
}

/** Replaces TIME <ms> in propagated XCLAIMs, which depends on the clock. */
const untimed = (aof: string[][]): string[][] => aof.map((a) => (a[0] === 'XCLAIM' ? [...a.slice(0, 7), 'T', ...a.slice(8)] : a));

describe('XCLAIM and XAUTOCLAIM', () => {
  const fx = useStreamOracle({ detachAof: true });

  const setup: Step[] = [
    ['XADD', 's', '1-1', 'a', '1'],
    ['XADD', 's', '2-1', 'b', '2'],
    ['XADD', 's', '3-1', 'c', '3'],
    ['XADD', 's', '4-1', 'd', '4'],
    ['XADD', 's', '5-1', 'e', '5'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>'],
  ];

  it('XCLAIM claims, forces, counts deliveries and refuses bad options exactly as redis-server does', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ...setup,
      ['XCLAIM', 's', 'g', 'bob', '0', '1-1'],
      ['XCLAIM', 's', 'g', 'bob', '3600000', '2-1'],
      ['XCLAIM', 's', 'g', 'bob', '0', '2-1', '3-1', 'JUSTID'],
      pendingNoIdle(['XPENDING', 's', 'g', '-', '+', '10']),
      ['XCLAIM', 's', 'g', 'carol', '0', '4-1'],
      ['XCLAIM', 's', 'g', 'carol', '0', '4-1', 'FORCE'],
      ['XCLAIM', 's', 'g', 'carol', '0', '5-1', 'FORCE', 'JUSTID'],
      ['XCLAIM', 's', 'g', 'carol', '0', '9-9', 'FORCE'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'RETRYCOUNT', '7', 'IDLE', '1000'],
      ['XCLAIM', 's', 'g', 'carol', '0', '1-1', 'RETRYCOUNT', '-3'],
      pendingNoIdle(['XPENDING', 's', 'g', '-', '+', '10']),
      ['XDEL', 's', '2-1'],
      ['XCLAIM', 's', 'g', 'dave', '0', '2-1', '3-1'],
      ['XPENDING', 's', 'g'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'LASTID', '9-0'],
      ['XINFO', 'GROUPS', 's'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'LASTID', '1-0'],
      ['XCLAIM', 's', 'g', 'dave', '-5', '1-1', 'TIME', '-1'],
      ['XCLAIM', 's', 'g', 'dave', 'x', '1-1'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'IDLE', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'TIME', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'RETRYCOUNT', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'LASTID', 'x'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'IDLE'],
      ['XCLAIM', 's', 'g', 'dave', '0', '1-1', 'BOGUS'],
      ['XCLAIM', 's', 'g', 'dave', '0', 'notanid'],
      ['XCLAIM', 's', 'nog', 'dave', 'x', '1-1'],
      ['XCLAIM', 'nokey', 'g', 'dave', '0', '1-1'],
      ['SET', 'str', 'x'],
      ['XCLAIM', 'str', 'g', 'dave', '0', '1-1'],
      ['XCLAIM', 's', 'g', 'dave', '0'],
      ['XINFO', 'GROUPS', 's'],
    ]);
  });

  it('XAUTOCLAIM scans with a cursor, reports deleted entries (7.0) and refuses bad input like redis-server', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ...setup,
      ['XREADGROUP', 'GROUP', 'g', 'zed', 'STREAMS', 's', '>'],
      ['XAUTOCLAIM', 's', 'g', 'bob', '0', '0', 'COUNT', '2'],
      ['XAUTOCLAIM', 's', 'g', 'bob', '0', '3-1', 'COUNT', '2', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'bob', '0', '(3-1', 'JUSTID'],
      ['XAUTOCLAIM', 's', 'g', 'bob', '3600000', '-'],
      pendingNoIdle(['XPENDING', 's', 'g', '-', '+', '10']),
      ['XDEL', 's', '1-1', '3-1'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT', '1'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-'],
      ['XPENDING', 's', 'g'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '+'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT', '0'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT', '-1'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT', 'x'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT', '576460752303423488'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'COUNT'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '-', 'FOO'],
      ['XAUTOCLAIM', 's', 'g', 'carol', 'x', '-'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '-100', '-'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', 'bad'],
      ['XAUTOCLAIM', 's', 'g', 'carol', '0', '(18446744073709551615-18446744073709551615'],
      ['XAUTOCLAIM', 's', 'nog', 'carol', '0', '-'],
      ['XAUTOCLAIM', 'nokey', 'g', 'carol', '0', '-'],
      ['XAUTOCLAIM', 'nokey', 'g', 'carol', 'x', '-'],
      ['SET', 'str', 'x'],
      ['XAUTOCLAIM', 'str', 'g', 'carol', '0', '-'],
      ['XINFO', 'GROUPS', 's'],
    ]);
  });

  it('XAUTOCLAIM examines at most COUNT*10 entries per call and returns the cursor to go on', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    for (let i = 1; i <= 30; i++) await fx.r.xadd('s', `${i}-0`, 'f', 'v');
    await fx.r.xreadgroup('GROUP', 'g', 'a', 'STREAMS', 's', '>');
    // Nothing is idle for an hour: the scan stops after 10 attempts and says where to resume.
    expect(await fx.r.call('XAUTOCLAIM', 's', 'g', 'b', '3600000', '-', 'COUNT', '1')).to.deep.equal(['11-0', [], []]);
    expect(await fx.r.call('XAUTOCLAIM', 's', 'g', 'b', '3600000', '25-0', 'COUNT', '1')).to.deep.equal(['0-0', [], []]);
  });

  it('XCLAIM IDLE and TIME set the delivery time; a future or negative time means now', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'a', 'STREAMS', 's', '>');
    await fx.r.call('XCLAIM', 's', 'g', 'b', '0', '1-1', 'IDLE', '500000', 'JUSTID');
    let [[, , idle]] = (await fx.r.call('XPENDING', 's', 'g', '-', '+', '1')) as [string, string, number, number][];
    expect(idle).to.be.within(500000, 510000);
    await fx.r.call('XCLAIM', 's', 'g', 'b', '0', '1-1', 'TIME', String(Date.now() - 20000), 'JUSTID');
    [[, , idle]] = (await fx.r.call('XPENDING', 's', 'g', '-', '+', '1')) as [string, string, number, number][];
    expect(idle).to.be.within(20000, 30000);
    await fx.r.call('XCLAIM', 's', 'g', 'b', '0', '1-1', 'TIME', String(Date.now() + 1e9), 'JUSTID');
    [[, , idle]] = (await fx.r.call('XPENDING', 's', 'g', '-', '+', '1')) as [string, string, number, number][];
    expect(idle).to.be.within(0, 1000);
  });

  it('XCLAIM honours min-idle-time', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'a', 'STREAMS', 's', '>');
    expect(await fx.r.call('XCLAIM', 's', 'g', 'b', '50', '1-1', 'JUSTID')).to.deep.equal([]);
    await sleep(60);
    expect(await fx.r.call('XCLAIM', 's', 'g', 'b', '50', '1-1', 'JUSTID')).to.deep.equal(['1-1']);
  });

  it('XCLAIM propagates idempotent XCLAIMs (also for entries it drops) and a lone LASTID as XGROUP SETID', async () => {
    await fx.r.xadd('s', '1-0', 'f', 'v');
    await fx.r.xadd('s', '2-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'a', 'STREAMS', 's', '>');
    await fx.r.xdel('s', '2-1');
    const cap = capture(fx.riv);
    expect(await fx.r.call('XCLAIM', 's', 'g', 'b', '0', '1', '2-1', 'RETRYCOUNT', '5', 'LASTID', '3-0')).to.deep.equal([['1-0', ['f', 'v']]]);
    // Several records of one command are one MULTI/EXEC unit (Redis 7), so a torn tail never loads half of it.
    expect(untimed(cap.aof)).to.deep.equal([
      ['MULTI'],
      // the ID is logged as the client spelled it, as Redis does
      ['XCLAIM', 's', 'g', 'b', '0', '1', 'TIME', 'T', 'RETRYCOUNT', '5', 'FORCE', 'JUSTID', 'LASTID', '3-0'],
      ['XCLAIM', 's', 'g', 'a', '0', '2-1', 'TIME', 'T', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '3-0'],
      ['EXEC'],
    ]);
    expect(cap.events).to.deep.equal(['t:xgroup-createconsumer:s']);
    cap.reset();
    expect(await fx.r.call('XCLAIM', 's', 'g', 'b', '0', '9-9', 'LASTID', '4-0')).to.deep.equal([]);
    expect(cap.aof).to.deep.equal([['XGROUP', 'SETID', 's', 'g', '4-0', 'ENTRIESREAD', '2']]);
    cap.reset();
    expect(await fx.r.call('XCLAIM', 's', 'g', 'b', '0', '9-9')).to.deep.equal([]);
    expect(cap.aof, 'nothing changed, nothing logged').to.deep.equal([]);
    fx.riv.server.aof = null;
  });

  it('XAUTOCLAIM propagates one XCLAIM per claimed or cleaned-up entry, never itself', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.xadd('s', '2-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'a', 'STREAMS', 's', '>');
    await fx.r.xdel('s', '1-1');
    const cap = capture(fx.riv);
    expect(await fx.r.call('XAUTOCLAIM', 's', 'g', 'b', '0', '-', 'JUSTID')).to.deep.equal(['0-0', ['2-1'], ['1-1']]);
    expect(untimed(cap.aof)).to.deep.equal([
      ['MULTI'],
      ['XCLAIM', 's', 'g', 'a', '0', '1-1', 'TIME', 'T', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '2-1'],
      ['XCLAIM', 's', 'g', 'b', '0', '2-1', 'TIME', 'T', 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', '2-1'],
      ['EXEC'],
    ]);
    fx.riv.server.aof = null;
  });

  it('speaks RESP3: XAUTOCLAIM is a 3-element array with nested entries', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'a', 'STREAMS', 's', '>');
    const c3 = await resp3(fx.riv.port);
    try {
      expect(await c3.call('XAUTOCLAIM', 's', 'g', 'b', '0', '-')).to.equal(
        '*3\r\n$3\r\n0-0\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*0\r\n',
      );
      expect(await c3.call('XCLAIM', 's', 'g', 'c', '0', '1-1', 'JUSTID')).to.equal('*1\r\n$3\r\n1-1\r\n');
    } finally {
      c3.close();
    }
  });
});
