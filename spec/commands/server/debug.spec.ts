import { expect } from 'chai';
import { startRivulet, RawConnection, sleep } from '../../helpers.js';
import type { RivuletServer } from '../../../lib/index.js';

describe('DEBUG', () => {
  let server: RivuletServer;
  let c: RawConnection;
  before(async () => {
    server = await startRivulet();
    c = await RawConnection.open(server.port);
  });
  after(async () => {
    c.close();
    await server.close();
  });

  it('SET-ACTIVE-EXPIRE 0 leaves expired keys in memory until they are accessed, and 1 lets the cron remove them', async () => {
    const db = server.server.dbs[0];
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).to.equal('OK');
    await c.call('SET', 'k', 'v', 'PX', '1');
    await sleep(300); // three cron periods at hz 10
    expect(db.data.has('k')).to.equal(true);
    expect(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).to.equal('OK');
    const deadline = Date.now() + 2000;
    while (db.data.has('k') && Date.now() < deadline) await sleep(20);
    expect(db.data.has('k')).to.equal(false);
  });

  it('an unknown subcommand is refused with Redis\'s text', async () => {
    expect(((await c.call('DEBUG', 'NOPE')) as Error).message).to.equal("ERR unknown subcommand 'NOPE'. Try DEBUG HELP.");
  });
});
