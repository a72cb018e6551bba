import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('GETSET', () => {
  const s = useServers();

  it('returns the old value, sets the new one and clears the TTL', async () => {
    await s.diff([
      ['GETSET', 'k', 'a'],
      ['GETSET', 'k', 'b'],
      ['GET', 'k'],
      ['EXPIRE', 'k', 100],
      ['GETSET', 'k', 'c'],
      ['TTL', 'k'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['GETSET', 's', 'x'],
      ['GETSET', 'k'],
    ]);
  });

  it('is propagated as SET', async () => {
    await s.redis.getset('k', 'v');
    expect(s.propagated).to.deep.equal(['SET k v']);
  });
});
