import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('PERSIST', () => {
  const s = useServers();

  it('removes a TTL and answers 0 when there is none', async () => {
    await s.diff([['PERSIST', 'x'], ['SET', 'x', 'v'], ['PERSIST', 'x'], ['EXPIRE', 'x', 100], ['PERSIST', 'x'], ['TTL', 'x'], ['PERSIST']]);
  });

  it('fires persist and propagates only when it changed something', async () => {
    await s.redis.set('x', 'v', 'EX', 100);
    s.events.length = 0;
    s.propagated.length = 0;
    await s.redis.persist('x');
    await s.redis.persist('x');
    expect(s.events).to.deep.equal(['g:persist:x:0']);
    expect(s.propagated).to.deep.equal(['PERSIST x']);
  });
});
