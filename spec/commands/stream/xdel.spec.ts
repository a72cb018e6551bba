import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, differential, HAVE_REDIS, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { capture } from './util.js';

const err = (r: Reply): string => (r as Error).message;

describe('XDEL', () => {
  let rs: RivuletServer;
  let c: RawConnection;
  let cap: ReturnType<typeof capture>;
  before(async () => {
    rs = await startRivulet();
    cap = capture(rs);
    c = await RawConnection.open(rs.port);
  });
  after(async () => {
    c.close();
    await rs.close();
  });
  beforeEach(async () => {
    await c.call('FLUSHALL');
    for (let i = 1; i <= 5; i++) await c.call('XADD', 's', `${i}-0`, 'f', 'v');
    cap.reset();
  });

  it('deletes the given IDs and counts only those that existed (duplicates once)', async () => {
    expect(await c.call('XDEL', 's', '2-0', '2-0', '4', '9-0')).to.equal(2);
    expect(await c.call('XRANGE', 's', '-', '+')).to.deep.equal([['1-0', ['f', 'v']], ['3-0', ['f', 'v']], ['5-0', ['f', 'v']]]);
    expect(cap.events).to.deep.equal(['t:xdel:s']);
    expect(cap.aof).to.deep.equal([['XDEL', 's', '2-0', '2-0', '4', '9-0']]);
  });

  it('deleting nothing fires no event and writes nothing to the AOF', async () => {
    expect(await c.call('XDEL', 's', '9-0')).to.equal(0);
    expect(cap.events).to.deep.equal([]);
    expect(cap.aof).to.deep.equal([]);
  });

  it('an invalid ID anywhere deletes nothing', async () => {
    expect(err(await c.call('XDEL', 's', '1-0', 'bad'))).to.equal('ERR Invalid stream ID specified as stream command argument');
    expect(err(await c.call('XDEL', 's', '-'))).to.equal('ERR Invalid stream ID specified as stream command argument');
    expect(await c.call('XLEN', 's')).to.equal(5);
  });

  it('a missing key answers 0 even for invalid IDs; a string key is WRONGTYPE', async () => {
    expect(await c.call('XDEL', 'nokey', 'bad')).to.equal(0);
    await c.call('SET', 'str', 'x');
    expect(err(await c.call('XDEL', 'str', '1-0'))).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  it('deleting every entry keeps an empty stream whose last ID still bounds XADD', async () => {
    expect(await c.call('XDEL', 's', '1-0', '2-0', '3-0', '4-0', '5-0')).to.equal(5);
    expect(await c.call('XLEN', 's')).to.equal(0);
    expect(await c.call('TYPE', 's')).to.equal('stream');
    expect(err(await c.call('XADD', 's', '5-0', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
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
      await differential(rs.port, oracle.port, script);
    });
  });
});
