import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('MOVE', () => {
  const s = useServers();

  it('moves a key to another database unless it exists there, with Redis\'s errors', async () => {
    await s.diff([
      ['SET', 'a', '1'],
      ['MOVE', 'a', 1],
      ['GET', 'a'],
      ['SELECT', 1],
      ['GET', 'a'],
      ['SET', 'b', 'in1'],
      ['SELECT', 0],
      ['SET', 'b', 'in0'],
      ['MOVE', 'b', 1],
      ['MOVE', 'missing', 1],
      ['MOVE', 'b', 0],
      ['MOVE', 'b', 16],
      ['MOVE', 'b', -1],
      ['MOVE', 'b', 'x'],
      ['MOVE', 'b', '99999999999'],
      ['MOVE', 'b'],
    ]);
  });

  it('keeps the TTL and fires move_from and move_to', async () => {
    await s.redis.set('a', '1', 'EX', 100);
    s.events.length = 0;
    await s.redis.move('a', 2);
    expect(s.events).to.deep.equal(['n:new:a:2', 'g:move_from:a:0', 'g:move_to:a:2']);
    await s.redis.select(2);
    expect(await s.redis.ttl('a')).to.be.within(99, 100);
    await s.redis.select(0);
  });
});
