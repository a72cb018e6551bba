import { expect } from 'chai';
import { startRivulet, startRedis, RawConnection, differential, HAVE_REDIS, type ExternalServer, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

const MAX = '18446744073709551615';
const err = (r: Reply): string => (r as Error).message;

describe('XSETID', () => {
  let rs: RivuletServer;
  let c: RawConnection;
  before(async () => {
    rs = await startRivulet();
    c = await RawConnection.open(rs.port);
  });
  after(async () => {
    c.close();
    await rs.close();
  });
  beforeEach(async () => {
    await c.call('FLUSHALL');
    for (let i = 1; i <= 3; i++) await c.call('XADD', 's', `${i}-0`, 'f', 'v');
  });

  it('raises the last ID so that XADD must go above it', async () => {
    expect(await c.call('XSETID', 's', '10-0')).to.equal('OK');
    expect(err(await c.call('XADD', 's', '10-0', 'f', 'v'))).to.equal('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(await c.call('XADD', 's', '10-*', 'f', 'v')).to.equal('10-1');
  });

  it('accepts ENTRIESADDED and MAXDELETEDID (7.0+) in any order', async () => {
    expect(await c.call('XSETID', 's', '50-0', 'MAXDELETEDID', '40-0', 'ENTRIESADDED', '100')).to.equal('OK');
    expect(await c.call('XSETID', 's', `${MAX}-${MAX}`)).to.equal('OK');
    expect(err(await c.call('XADD', 's', '*', 'f', 'v'))).to.equal('ERR The stream has exhausted the last possible ID, unable to add more items');
  });

  it('refuses IDs below the top item, below the max deleted ID, and bad options, with Redis\'s messages', async () => {
    const cases: [string[], string][] = [
      [['2-0'], 'ERR The ID specified in XSETID is smaller than the target stream top item'],
      [['bad'], 'ERR Invalid stream ID specified as stream command argument'],
      [['+'], 'ERR Invalid stream ID specified as stream command argument'],
      [['5-0', 'ENTRIESADDED', '-1'], 'ERR entries_added must be positive'],
      [['5-0', 'ENTRIESADDED', '2'], 'ERR The entries_added specified in XSETID is smaller than the target stream length'],
      [['5-0', 'ENTRIESADDED', 'x'], 'ERR value is not an integer or out of range'],
      [['5-0', 'MAXDELETEDID', '6-0'], 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id'],
      [['5-0', 'MAXDELETEDID', 'x'], 'ERR Invalid stream ID specified as stream command argument'],
      [['5-0', 'ENTRIESADDED'], 'ERR syntax error'],
      [['5-0', 'FOO', '1'], 'ERR syntax error'],
    ];
    for (const [args, msg] of cases) expect(err(await c.call('XSETID', 's', ...args)), args.join(' ')).to.equal(msg);
    expect(err(await c.call('XSETID', 'nokey', '1-0'))).to.equal('ERR no such key');
    await c.call('SET', 'str', 'x');
    expect(err(await c.call('XSETID', 'str', '1-0'))).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
  });

  it('checks the max deleted ID before the top item (Redis 7.4 order; 7.0 checks the top item first)', async () => {
    await c.call('XDEL', 's', '3-0');
    await c.call('XSETID', 's', '9-0', 'MAXDELETEDID', '8-0');
    expect(err(await c.call('XSETID', 's', '1-0'))).to.equal('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id');
  });

  it('on an empty stream any ID at or above the max deleted ID is accepted, even below the last ID', async () => {
    await c.call('XDEL', 's', '1-0', '2-0', '3-0');
    expect(await c.call('XSETID', 's', '3-0')).to.equal('OK');
    expect(await c.call('XADD', 's', '3-1', 'f', 'v')).to.equal('3-1');
  });

  it('does not abort a transaction WATCHing the key, as in Redis', async () => {
    const other = await RawConnection.open(rs.port);
    try {
      await c.call('WATCH', 's');
      await other.call('XSETID', 's', '9-0');
      await c.call('MULTI');
      await c.call('PING');
      expect(await c.call('EXEC')).to.deep.equal(['PONG']);
    } finally {
      other.close();
    }
  });

  (HAVE_REDIS ? describe : describe.skip)('against redis-server (differential)', () => {
    let oracle: ExternalServer;
    before(async () => {
      oracle = await startRedis();
    });
    after(async () => {
      await oracle.stop();
    });

    it('accepted and refused XSETIDs match', async () => {
      await differential(rs.port, oracle.port, [
        ['XADD', 's', '5-0', 'f', 'v'],
        ['XSETID', 's', '5-0'],
        ['XSETID', 's', '4-0'],
        ['XSETID', 's', '6-0', 'ENTRIESADDED', '0'],
        ['XSETID', 's', '6-0', 'ENTRIESADDED', '1', 'MAXDELETEDID', '7-0'],
        ['XSETID', 's', '7-0', 'ENTRIESADDED', '10', 'MAXDELETEDID', '6-0'],
        ['XADD', 's', '7-0', 'f', 'v'],
        ['XADD', 's', '7-*', 'f', 'v'],
        ['XSETID', 'nokey', '1'],
        ['XSETID', 's', '9-0', 'ENTRIESADDED'],
        ['XSETID', 's', `${MAX}-${MAX}`],
        ['XADD', 's', '*', 'f', 'v'],
      ]);
    });
  });
});
