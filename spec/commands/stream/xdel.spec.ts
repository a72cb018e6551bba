import { expect } from 'chai';
import { startRedis, differential, HAVE_REDIS, type ExternalServer, type Reply } from '../../helpers.js';
import { useStreamRaw } from './fixture.js';

const err = (r: Reply): string => (r as Error).message;

describe('XDEL', () => {
  const fx = useStreamRaw();
  beforeEach(async () => {
    await fx.c.call('FLUSHALL');
    for (let i = 1; i <= 5; i++) await fx.c.call('XADD', 's', `${i}-0`, 'f', 'v');
    fx.cap.reset();
  });

  it('deletes the given IDs and counts only those that existed (duplicates once)', async () => {
    expect(await fx.c.call('XDEL', 's', '2-0', '2-0', '4', '9-0')).to.equal(2);
    expect(await fx.c.call('XRANGE', 's', '-', '+')).to.deep.equal([['1-0', ['f', 'v']], ['3-0', ['f', 'v']], ['5-0', ['f', 'v']]]);
    expect(fx.cap.events).to.deep.equal(['t:xdel:s']);
    expect(fx.cap.aof).to.deep.equal([['XDEL', 's', '2-0', '2-0', '4', '9-0']]);
  });

  it('deleting nothing fires no event and writes nothing to the AOF', async () => {
    expect(await fx.c.call('XDEL', 's', '9-0')).to.equal(0);
    expect(fx.cap.events).to.deep.equal([]);
    expect(fx.cap.aof).to.deep.equal([]);
  });

  it('an invalid ID anywhere deletes nothing', async () => {
    expect(err(await fx.c.call('XDEL', 's', '1-0', 'bad'))).to.equal('ERR Invalid stream ID specified as stream command argument');
    expect(err(await fx.c.call('XDEL', 's', '-'))).to.equal('ERR Invalid stream ID specified as stream command argument');
    expect(await fx.c.call('XLEN', 's')).to.equal(5);
  });

  it('a missing key answers 0 even for invalid IDs; a string key is WRONGTYPE', async () => {
    expect(await fx.c.call('XDEL', 'nokey', 'bad')).to.equal(0);
    await fx.c.call('SET', 'str', 'x');
    expect(err(await fx.c.call('XDEL', 'str', '1-0'))).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  it('deleting every entry keeps an empty stream whose last ID still bounds XADD', async () => {
    expect(await fx.c.call('XDEL', 's', '1-0', '2-0', '3-0', '4-0', '5-0')).to.equal(5);
    expect(await fx.c.call('XLEN', 's')).to.equal(0);
    expect(await fx.c.call('TYPE', 's')).to.equal('stream');
    expect(err(await fx.c.call('XADD', 's', '5-0', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
  });

  (HAVE_REDIS ? describe : describe.skip)('against redis-server (differential)', () => {
    let oracle: ExternalServer;
    before(async () => {
      oracle = await startRedis();
    });
    after(async () => {
      await oracle.stop();
    });

    it('deletions across chunks and the ranges after them match', async () => {
      const script: (string | number)[][] = [['CONFIG', 'SET', 'stream-node-max-entries', '4']];
      for (let i = 1; i <= 20; i++) script.push(['XADD', 'd', `${i}-0`, 'f', `v${i}`]);
      script.push(['XDEL', 'd', '1-0', '2-0', '3-0', '4-0'], ['XRANGE', 'd', '-', '+', 'COUNT', 2], ['XDEL', 'd', '10', '11', '99', '10'], ['XREVRANGE', 'd', '+', '-']);
      script.push(['XDEL', 'd', 'x'], ['XDEL', 'nokey', 'x'], ['XLEN', 'd'], ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
      await differential(fx.rs.port, oracle.port, script);
    });
  });
});
