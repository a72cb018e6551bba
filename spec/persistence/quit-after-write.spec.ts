/**
 * Under appendfsync always, replies wait for their fsync; a QUIT pipelined
 * right behind a write must still deliver the write's reply before closing.
 */
import { expect } from 'chai';
import { startRivulet, tmpDir, rmrf, RawConnection } from '../helpers.js';
import type { RivuletServer } from '../../lib/index.js';

describe('AOF: QUIT right after a write under appendfsync always', () => {
  let dir: string;
  let srv: RivuletServer;
  before(async () => {
    dir = tmpDir();
    srv = await startRivulet({ dir, appendfsync: 'always' });
  });
  after(async () => {
    await srv.close();
    rmrf(dir);
  });

  it('sends the write\'s reply, then +OK for QUIT, then closes the connection', async () => {
    const c = await RawConnection.open(srv.port);
    c.write('*5\r\n$4\r\nXADD\r\n$1\r\ns\r\n$3\r\n1-1\r\n$1\r\nf\r\n$1\r\nv\r\n*1\r\n$4\r\nQUIT\r\n');
    expect(await c.next()).to.equal('1-1');
    expect(await c.next()).to.equal('OK');
    await c.waitClosed();
    const check = await RawConnection.open(srv.port);
    expect(await check.call('XLEN', 's')).to.equal(1);
    check.close();
  });
});
