import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('EXISTS', () => {
  const s = useServers();

  it('counts existing keys, a repeated key each time', async () => {
    await s.diff([['SET', 'a', '1'], ['EXISTS', 'a'], ['EXISTS', 'a', 'a', 'b'], ['EXISTS', 'b'], ['EXISTS']]);
  });

  it('counts keyspace hits and misses', async () => {
    const before = s.rivulet.server.stats.keyspaceHits;
    const missesBefore = s.rivulet.server.stats.keyspaceMisses;
    await s.redis.set('a', '1');
    await s.redis.exists('a', 'zz');
    expect(s.rivulet.server.stats.keyspaceHits - before).to.equal(1);
    expect(s.rivulet.server.stats.keyspaceMisses - missesBefore).to.equal(1);
  });
});
