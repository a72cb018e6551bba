/**
 * Consumer-group lag by the newest Redis rules (lib/stream/lag.ts):
 * 0 for an emptied stream, the stream's length once XTRIM/XDEL left the group
 * and every tombstone behind the first entry, never negative, ENTRIESREAD
 * capped at entries-added (Redis 8, redis/redis#14257).
 *
 * The literal expectations are the ones in Redis's own stream-cgroups tests;
 * the same scripts are compared with the oracle when it is a post-7.4 build
 * (Redis 7.0-7.4 releases reported nil or the read-counter difference there).
 */
import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, normalise, differential, HAVE_REDIS, ORACLE_AFTER_7_4, type ExternalServer } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

/** entries-read and lag of the first group, from XINFO GROUPS. */
function readAndLag(groups: unknown): [unknown, unknown] {
  const g = (groups as unknown[][])[0];
  return [g[g.indexOf('entries-read') + 1], g[g.indexOf('lag') + 1]];
}

describe('consumer-group lag (newest Redis rules)', () => {
  let riv: RivuletServer;
  let c: RawConnection;
  let oracle: ExternalServer | null = null;
  before(async () => {
    riv = await startRivulet();
    c = await RawConnection.open(riv.port);
    if (HAVE_REDIS && ORACLE_AFTER_7_4) oracle = await startRedis();
  });
  after(async () => {
    c.close();
    await riv.close();
    await oracle?.stop();
  });
  beforeEach(async () => {
    await c.call('FLUSHALL');
  });

  const groups = async (): Promise<[unknown, unknown]> => readAndLag(normalise(await c.call('XINFO', 'GROUPS', 'x')));
  const setup = async (script: (string | number)[][]): Promise<void> => {
    for (const cmd of script) await c.call(...cmd);
  };
  /** Runs the script plus XINFO GROUPS on a post-7.4 oracle too, reply for reply. */
  const againstOracle = async (script: (string | number)[][]): Promise<void> => {
    if (oracle) await differential(riv.port, oracle.port, [...script, ['XINFO', 'GROUPS', 'x']]);
  };

  const five = [
    ['XGROUP', 'CREATE', 'x', 'mygroup', '$', 'MKSTREAM'],
    ['XADD', 'x', '1-0', 'data', 'a'],
    ['XADD', 'x', '2-0', 'data', 'b'],
    ['XADD', 'x', '3-0', 'data', 'c'],
    ['XADD', 'x', '4-0', 'data', 'd'],
    ['XADD', 'x', '5-0', 'data', 'e'],
    ['XREADGROUP', 'GROUP', 'mygroup', 'alice', 'COUNT', 1, 'STREAMS', 'x', '>'],
  ];

  it('after XTRIM moves the first entry past the group, the lag is what is left (1, not 4), and 0 once empty', async () => {
    await setup(five);
    expect(await groups()).to.deep.equal([1, 4]);
    await c.call('XTRIM', 'x', 'MAXLEN', 1);
    expect(await groups()).to.deep.equal([1, 1]);
    await c.call('XTRIM', 'x', 'MAXLEN', 0);
    expect(await groups()).to.deep.equal([1, 0]);
    await againstOracle([...five, ['XTRIM', 'x', 'MAXLEN', 1], ['XINFO', 'GROUPS', 'x'], ['XTRIM', 'x', 'MAXLEN', 0]]);
  });

  it('with the tombstones between the group and the first entry, the lag is computable (not nil)', async () => {
    const script = [...five, ['XDEL', 'x', '2-0'], ['XTRIM', 'x', 'MINID', '3-0']];
    await setup(script);
    // last-delivered 1-0 < max-deleted 2-0 < first entry 3-0: everything left is unread.
    expect(await groups()).to.deep.equal([1, 3]);
    await againstOracle(script);
  });

  it('a tombstone ahead of the group inside the stream still makes the lag unknown', async () => {
    const script = [...five, ['XDEL', 'x', '3-0']];
    await setup(script);
    expect(await groups()).to.deep.equal([1, null]);
    await againstOracle(script);
  });

  it('every entry deleted with XDEL: lag 0', async () => {
    const script = [...five, ['XDEL', 'x', '1-0', '2-0', '3-0', '4-0', '5-0']];
    await setup(script);
    expect(await groups()).to.deep.equal([1, 0]);
    await againstOracle(script);
  });

  it('XSETID lowering entries-added below the read counter gives the negative difference, as redis-server (7.0 and 7.4+)', async () => {
    const script = [
      ['XADD', 'x', '1-0', 'f', 'v'],
      ['XADD', 'x', '2-0', 'f', 'v'],
      ['XADD', 'x', '3-0', 'f', 'v'],
      ['XGROUP', 'CREATE', 'x', 'g', '0'],
      ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x', '>'],
      ['XDEL', 'x', '1-0', '2-0'],
      ['XSETID', 'x', '3-0', 'ENTRIESADDED', '1'],
    ];
    await setup(script);
    expect(await groups()).to.deep.equal([3, -2]);
    if (HAVE_REDIS) {
      const o = oracle ?? (await startRedis());
      try {
        await differential(riv.port, o.port, [...script, ['XINFO', 'GROUPS', 'x']]);
      } finally {
        if (o !== oracle) await o.stop();
      }
    }
  });

  it('ENTRIESREAD above entries-added is capped: lag 0, never negative (Redis 8)', async () => {
    await c.call('XADD', 'x', '1-0', 'f', 'v');
    expect(await c.call('XGROUP', 'CREATE', 'x', 'g', '$', 'ENTRIESREAD', 100)).to.equal('OK');
    expect(await groups()).to.deep.equal([1, 0]);
    expect(await c.call('XGROUP', 'SETID', 'x', 'g', '$', 'ENTRIESREAD', 9999)).to.equal('OK');
    expect(await groups()).to.deep.equal([1, 0]);
    // Rewound before the first entry: the one entry is unread whatever the counter says.
    expect(await c.call('XGROUP', 'SETID', 'x', 'g', '0', 'ENTRIESREAD', 9999)).to.equal('OK');
    expect(await groups()).to.deep.equal([1, 1]);
    expect(await c.call('XGROUP', 'SETID', 'x', 'g', '0', 'ENTRIESREAD', -1)).to.equal('OK');
    expect(await groups()).to.deep.equal([null, 1]);
    await c.call('DEL', 'x');
    expect(await c.call('XGROUP', 'CREATE', 'x', 'g', '$', 'MKSTREAM', 'ENTRIESREAD', 5)).to.equal('OK');
    expect(await groups()).to.deep.equal([0, 0]);
    // Reading on from the capped counter counts up from entries-added.
    await c.call('XADD', 'x', '2-0', 'f', 'v');
    await c.call('XREADGROUP', 'GROUP', 'g', 'a', 'STREAMS', 'x', '>');
    expect(await groups()).to.deep.equal([1, 0]);
  });
});
