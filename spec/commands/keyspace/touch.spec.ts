import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('TOUCH', () => {
  const s = useServers();

  it('counts the existing keys', async () => {
    await s.diff([['MSET', 'a', '1', 'b', '2'], ['TOUCH', 'a', 'b', 'c', 'a'], ['TOUCH']]);
  });

  it('resets the idle time', async () => {
    await s.redis.set('a', '1');
    const db = s.rivulet.server.dbs[0];
    // Age the key without waiting: idle time is measured from the last access.
    db.setIdle('a', 5000);
    expect(await s.redis.object('IDLETIME', 'a')).to.equal(5);
    await s.redis.touch('a');
    expect(await s.redis.object('IDLETIME', 'a')).to.equal(0);
  });
});
