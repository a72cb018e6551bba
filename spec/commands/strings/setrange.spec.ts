import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('SETRANGE', () => {
  const s = useServers();

  it('overwrites, zero-pads, and handles empty values like Redis', async () => {
    await s.diff([
      ['SET', 'k', 'Hello World'],
      ['SETRANGE', 'k', 6, 'Redis'],
      ['GET', 'k'],
      ['SETRANGE', 'pad', 5, 'x'],
      ['GET', 'pad'],
      ['SETRANGE', 'empty', 0, ''],
      ['EXISTS', 'empty'],
      ['SETRANGE', 'k', 100, ''],
      ['SETRANGE', 'k', -1, 'x'],
      ['SETRANGE', 'k', 'x', 'x'],
      ['SETRANGE', 'k', 536870911, 'xx'],
      ['SETRANGE', 'k', '9223372036854775807', 'x'],
      ['SET', 'n', '123'],
      ['SETRANGE', 'n', 1, '9'],
      ['GET', 'n'],
      ['OBJECT', 'ENCODING', 'n'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['SETRANGE', 's', 0, 'x'],
      ['SETRANGE', 'k', 0],
    ]);
  });

  it('keeps the TTL and fires setrange', async () => {
    await s.redis.set('k', 'abc', 'EX', 100);
    s.events.length = 0;
    await s.redis.setrange('k', 1, 'X');
    expect(await s.redis.get('k')).to.equal('aXc');
    expect(await s.redis.ttl('k')).to.be.within(99, 100);
    expect(s.events).to.deep.equal(['$:setrange:k:0']);
  });
});
