import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, differential, HAVE_REDIS, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';
import { capture } from './util.js';

const err = (r: Reply): string => (r as Error).message;

describe('XTRIM', () => {
  let rs: RivuletServer;
  let c: RawConnection;
  let cap: ReturnType<typeof capture>;
  before(async () => {
    rs = await startRivulet();
    cap = capture(rs);
    c = await RawConnection.open(rs.port);
    await c.call('CONFIG', 'SET', 'stream-node-max-entries', '10');
  });
  after(async () => {
    c.close();
    await rs.close();
  });
  beforeEach(async () => {
    await c.call('FLUSHALL');
    for (let i = 1; i <= 35; i++) await c.call('XADD', 's', `${i}-0`, 'f', 'v');
    cap.reset();
  });

  it('MAXLEN trims exactly to the length and returns how many entries went', async () => {
    expect(await c.call('XTRIM', 's', 'MAXLEN', '12')).to.equal(23);
    expect(await c.call('XLEN', 's')).to.equal(12);
    expect(await c.call('XTRIM', 's', 'MAXLEN', '=', '20')).to.equal(0);
    expect(cap.aof).to.deep.equal([['XTRIM', 's', 'MAXLEN', '12']]);
    expect(cap.events).to.deep.equal(['t:xtrim:s']);
  });

  it('MAXLEN ~ removes whole chunks only and is propagated as the exact length reached', async () => {
    expect(await c.call('XTRIM', 's', 'MAXLEN', '~', '12')).to.equal(20);
    expect(await c.call('XLEN', 's')).to.equal(15);
    expect(cap.aof).to.deep.equal([['XTRIM', 's', 'MAXLEN', '=', '15']]);
  });

  it('MINID removes entries below the ID; ~ stops at a chunk boundary and is propagated as the first ID kept', async () => {
    expect(await c.call('XTRIM', 's', 'MINID', '~', '25')).to.equal(20);
    expect(await c.call('XTRIM', 's', 'MINID', '25')).to.equal(4);
    expect(await c.call('XRANGE', 's', '-', '+', 'COUNT', '1')).to.deep.equal([['25-0', ['f', 'v']]]);
    expect(cap.aof).to.deep.equal([
      ['XTRIM', 's', 'MINID', '=', '21-0'],
      ['XTRIM', 's', 'MINID', '25'],
    ]);
  });

  it('LIMIT caps how many entries ~ may remove; LIMIT 0 removes without a cap', async () => {
    expect(await c.call('XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '15')).to.equal(10);
    expect(await c.call('XTRIM', 's', 'MAXLEN', '~', '0', 'LIMIT', '0')).to.equal(25);
    expect(cap.aof).to.deep.equal([
      ['XTRIM', 's', 'MAXLEN', '=', '25'],
      ['XTRIM', 's', 'MAXLEN', '=', '0'],
    ]);
  });

  it('~ with the default LIMIT removes at most 100 × stream-node-max-entries entries', async () => {
    await c.call('CONFIG', 'SET', 'stream-node-max-entries', '1');
    try {
      for (let i = 36; i <= 250; i++) await c.call('XADD', 's', `${i}-0`, 'f', 'v');
      expect(await c.call('XTRIM', 's', 'MAXLEN', '~', '0')).to.be.at.most(100);
    } finally {
      await c.call('CONFIG', 'SET', 'stream-node-max-entries', '10');
    }
  });

  it('errors are Redis\'s and a missing key answers 0', async () => {
    const cases: [string[], string][] = [
      [['MAXLEN'], "ERR wrong number of arguments for 'xtrim' command"],
      [['LIMIT', '0'], 'ERR syntax error, XTRIM must be called with a trimming strategy'],
      [['LIMIT', '1'], 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy'],
      [['FOO', '1'], 'ERR syntax error'],
      [['MAXLEN', '1', 'x'], 'ERR syntax error'],
      [['MAXLEN', '-1'], 'ERR The MAXLEN argument must be >= 0.'],
      [['MAXLEN', '1', 'LIMIT', '1'], 'ERR syntax error, LIMIT cannot be used without the special ~ option'],
      [['MAXLEN', '~', '1', 'LIMIT', '-1'], 'ERR The LIMIT argument must be >= 0.'],
      [['MINID', '+'], 'ERR Invalid stream ID specified as stream command argument'],
      [['MINID', '1', 'MAXLEN', '1'], 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible'],
    ];
    for (const [opts, msg] of cases) expect(err(await c.call('XTRIM', 's', ...opts)), opts.join(' ')).to.equal(msg);
    expect(await c.call('XTRIM', 'nokey', 'MAXLEN', '0')).to.equal(0);
    expect(err(await c.call('XTRIM', 'nokey', 'bad', '0'))).to.equal('ERR syntax error');
    await c.call('SET', 'str', 'x');
    expect(err(await c.call('XTRIM', 'str', 'MAXLEN', '0'))).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(await c.call('XLEN', 's')).to.equal(35);
  });

  (HAVE_REDIS ? describe : describe.skip)('against redis-server (differential)', () => {
    let oracle: ExternalServer;
    before(async () => {
      oracle = await startRedis(['--stream-node-max-entries', '10']);
    });
    after(async () => {
      await oracle.stop();
    });

    it('exact and ~ trims by MAXLEN and MINID leave the same entries as Redis', async () => {
      const script: (string | number)[][] = [['CONFIG', 'SET', 'stream-node-max-entries', '10']];
      for (let i = 1; i <= 95; i++) script.push(['XADD', 't', `${i}-0`, 'f', `v${i}`]);
      script.push(
        ['XTRIM', 't', 'MAXLEN', '~', '25'], ['XLEN', 't'], ['XRANGE', 't', '-', '+', 'COUNT', 1],
        ['XTRIM', 't', 'MAXLEN', '~', '25', 'LIMIT', '5'], ['XTRIM', 't', 'MAXLEN', '~', '15', 'LIMIT', '10'], ['XLEN', 't'],
        ['XTRIM', 't', 'MAXLEN', '~', '0', 'LIMIT', '0'], ['XLEN', 't'],
      );
      for (let i = 1; i <= 95; i++) script.push(['XADD', 'u', `${i}-0`, 'f', `v${i}`]);
      script.push(
        ['XDEL', 'u', '21-0', '22-0', '35-0'], ['XTRIM', 'u', 'MINID', '~', '33'], ['XLEN', 'u'], ['XTRIM', 'u', 'MINID', '33'], ['XLEN', 'u'],
        ['XRANGE', 'u', '-', '+', 'COUNT', 2], ['XTRIM', 'u', 'MAXLEN', '=', '50'], ['XTRIM', 'u', 'MINID', '~', '1000', 'LIMIT', '15'], ['XLEN', 'u'],
        ['XTRIM', 'u', 'MAXLEN', '1', 'LIMIT', '1'], ['XTRIM', 'u', 'LIMIT', '0'], ['XTRIM', 'u', 'MAXLEN'],
      );
      await differential(rs.port, oracle.port, script);
    });
  });
});
