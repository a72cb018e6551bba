import { expect } from 'chai';
import { startRivulet, RawConnection, type Reply } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

describe('XLEN', () => {
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

  it('counts live entries, 0 for a missing key, and is WRONGTYPE on a string', async () => {
    await c.call('FLUSHALL');
    expect(await c.call('XLEN', 's')).to.equal(0);
    for (let i = 1; i <= 3; i++) await c.call('XADD', 's', `${i}-0`, 'f', 'v');
    await c.call('XDEL', 's', '2-0');
    expect(await c.call('XLEN', 's')).to.equal(2);
    await c.call('SET', 'str', 'x');
    expect(((await c.call('XLEN', 'str')) as Reply as Error).message).to.equal('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(((await c.call('XLEN', 's', 'x')) as Reply as Error).message).to.equal("ERR wrong number of arguments for 'xlen' command");
  });
});
