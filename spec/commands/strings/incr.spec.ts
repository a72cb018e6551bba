import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('INCR, DECR, INCRBY, DECRBY', () => {
  const s = useServers();

  it('count from 0, keep the TTL, and refuse non-integers and overflow like Redis', async () => {
    await s.diff([
      ['INCR', 'n'],
      ['INCRBY', 'n', 10],
      ['DECR', 'n'],
      ['DECRBY', 'n', 20],
      ['EXPIRE', 'n', 100],
      ['INCR', 'n'],
      ['TTL', 'n'],
      ['SET', 'max', '9223372036854775806'],
      ['INCR', 'max'],
      ['INCR', 'max'],
      ['SET', 'min', '-9223372036854775807'],
      ['DECR', 'min'],
      ['DECR', 'min'],
      ['INCRBY', 'min', '-1'],
      ['DECRBY', 'n', '-9223372036854775808'],
      ['INCRBY', 'n', '9223372036854775808'],
      ['INCRBY', 'n', '1.5'],
      ['INCRBY', 'n', 'abc'],
      ['SET', 's', 'abc'],
      ['INCR', 's'],
      ['SET', 's', ' 1'],
      ['INCR', 's'],
      ['SET', 's', '01'],
      ['INCR', 's'],
      ['SET', 's', '+1'],
      ['INCR', 's'],
      ['SET', 's', '123456789012345678901'],
      ['INCR', 's'],
      ['XADD', 'x', '1-1', 'f', 'v'],
      ['INCR', 'x'],
      ['INCRBY', 'x', 'abc'],
      ['INCR'],
    ]);
  });

  it('fires incrby for every variant', async () => {
    await s.redis.incr('n');
    await s.redis.decrby('n', 2);
    expect(s.events).to.deep.equal(['n:new:n:0', '$:incrby:n:0', '$:incrby:n:0']);
    expect(s.propagated).to.deep.equal(['INCR n', 'DECRBY n 2']);
  });
});
