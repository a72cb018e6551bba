import { expect } from 'chai';
import { differential, sleep, maskPendingIdle, isAggregate, textOf, type Step } from '../../helpers.js';
import { useStreamOracle } from './fixture.js';
import { capture, resp3 } from './util.js';

/** XPENDING's extended rows carry an idle time in ms, which no two servers share: compare the rest, and the idle loosely. */
function pendingRows(cmd: (string | number)[]): Step {
  return {
    cmd,
    normalise: maskPendingIdle,
    also(ours) {
      if (isAggregate(ours)) for (const row of ours.items) if (isAggregate(row)) expect(Number(textOf(row.items[2]))).to.be.within(0, 5000);
    },
  };
}

describe('XACK and XPENDING', () => {
  const fx = useStreamOracle({ detachAof: true });

  const setup: Step[] = [
    ['XADD', 's', '1-1', 'f', 'v'],
    ['XADD', 's', '2-1', 'f', 'v'],
    ['XADD', 's', '3-1', 'f', 'v'],
    ['XADD', 's', '4-1', 'f', 'v'],
    ['XGROUP', 'CREATE', 's', 'g', '0'],
    ['XREADGROUP', 'GROUP', 'g', 'bob', 'COUNT', '2', 'STREAMS', 's', '>'],
    ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 's', '>'],
    ['XGROUP', 'CREATECONSUMER', 's', 'g', 'idler'],
  ];

  it('XPENDING summary and extended forms, filters and errors match redis-server', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ['XGROUP', 'CREATE', 'e', 'g', '$', 'MKSTREAM'],
      ['XPENDING', 'e', 'g'],
      ['XPENDING', 'e', 'g', '-', '+', '10'],
      ...setup,
      ['XPENDING', 's', 'g'],
      pendingRows(['XPENDING', 's', 'g', '-', '+', '10']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '2']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '0']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '-5']),
      pendingRows(['XPENDING', 's', 'g', '(1-1', '(4-1', '10']),
      pendingRows(['XPENDING', 's', 'g', '2', '3', '10']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '10', 'alice']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '10', 'idler']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '10', 'nobody']),
      pendingRows(['XPENDING', 's', 'g', 'IDLE', '0', '-', '+', '10']),
      pendingRows(['XPENDING', 's', 'g', 'IDLE', '100000', '-', '+', '10']),
      pendingRows(['XPENDING', 's', 'g', 'idle', '100000', '-', '+', '10', 'bob']),
      pendingRows(['XPENDING', 's', 'g', '-', '+', '10', 'bob', 'extra', 'ignored']),
      ['XPENDING', 's', 'g', '-'],
      ['XPENDING', 's', 'g', '-', '+'],
      ['XPENDING', 's', 'g', 'IDLE', '10', '-', '+'],
      ['XPENDING', 's', 'g', 'IDLE', 'x', '-', '+', '10'],
      ['XPENDING', 's', 'g', '-', '+', 'x'],
      ['XPENDING', 's', 'g', 'bad', '+', '10'],
      ['XPENDING', 's', 'g', '-', 'bad', '10'],
      ['XPENDING', 's', 'g', '(18446744073709551615-18446744073709551615', '+', '10'],
      ['XPENDING', 's', 'g', '-', '(0-0', '10'],
      ['XPENDING', 's', 'g', '-', '+', '10', 'a', 'b', 'c', 'd'],
      ['XPENDING', 's', 'nog'],
      ['XPENDING', 'nokey', 'g'],
      ['XPENDING', 'nokey', 'g', 'bad', '+', '10'],
      ['SET', 'str', 'x'],
      ['XPENDING', 'str', 'g'],
      ['XPENDING', 's'],
    ]);
  });

  it('XACK removes entries from both PELs, all or nothing, and matches redis-server', async () => {
    await differential(fx.riv.port, fx.oracle.port, [
      ...setup,
      ['XACK', 's', 'g', '1-1'],
      ['XACK', 's', 'g', '1-1', '2-1', '9-9'],
      ['XACK', 's', 'g', '3-1', 'bad'],
      ['XPENDING', 's', 'g'],
      ['XACK', 's', 'g', '3', '4-1'],
      ['XPENDING', 's', 'g'],
      ['XACK', 's', 'nog', '1-1'],
      ['XACK', 'nokey', 'g', 'bad'],
      ['SET', 'str', 'x'],
      ['XACK', 'str', 'g', '1-1'],
      ['XACK', 's', 'g'],
      ['XACK', 's', 'g', '-'],
      ['XINFO', 'GROUPS', 's'],
    ]);
  });

  it('XACK counts each acknowledged entry as a change and propagates itself, but not a no-op', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.xadd('s', '2-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>');
    const cap = capture(fx.riv);
    const dirty = fx.riv.server.dirty;
    expect(await fx.r.call('XACK', 's', 'g', '1-1', '2-1', '3-1')).to.equal(2);
    expect(fx.riv.server.dirty - dirty).to.equal(2);
    expect(await fx.r.call('XACK', 's', 'g', '1-1')).to.equal(0);
    expect(cap.aof).to.deep.equal([['XACK', 's', 'g', '1-1', '2-1', '3-1']]);
    expect(cap.events).to.deep.equal([]);
    fx.riv.server.aof = null;
  });

  it('XPENDING idle counts from the last delivery and IDLE filters on it', async () => {
    await fx.r.xadd('s', '1-1', 'f', 'v');
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '0');
    await fx.r.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>');
    await sleep(60);
    const [[id, owner, idle, count]] = (await fx.r.call('XPENDING', 's', 'g', '-', '+', '1')) as [string, string, number, number][];
    expect([id, owner, count]).to.deep.equal(['1-1', 'c', 1]);
    expect(idle).to.be.within(50, 2000);
    expect(await fx.r.call('XPENDING', 's', 'g', 'IDLE', '50', '-', '+', '1')).to.have.length(1);
    expect(await fx.r.call('XPENDING', 's', 'g', 'IDLE', '5000', '-', '+', '1')).to.deep.equal([]);
  });

  it('speaks RESP3: nulls in the empty summary are _, the per-consumer count stays a bulk string', async () => {
    await fx.r.call('XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const c3 = await resp3(fx.riv.port);
    try {
      expect(await c3.call('XPENDING', 's', 'g')).to.equal('*4\r\n:0\r\n_\r\n_\r\n_\r\n');
      await fx.r.xadd('s', '1-1', 'f', 'v');
      await fx.r.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>');
      expect(await c3.call('XPENDING', 's', 'g')).to.equal('*4\r\n:1\r\n$3\r\n1-1\r\n$3\r\n1-1\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n');
    } finally {
      c3.close();
    }
  });
});
