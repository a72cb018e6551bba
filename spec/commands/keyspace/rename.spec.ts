import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('RENAME and RENAMENX', () => {
  const s = useServers();

  it('RENAME moves the value, overwrites the destination, and errors on a missing key', async () => {
    await s.diff([
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['RENAME', 'a', 'b'],
      ['GET', 'a'],
      ['GET', 'b'],
      ['RENAME', 'missing', 'x'],
      ['RENAME', 'b', 'b'],
      ['RENAME', 'missing', 'missing'],
      ['RENAME', 'b'],
    ]);
  });

  it('RENAMENX refuses an existing destination and answers 0 for the same name', async () => {
    await s.diff([
      ['SET', 'a', '1'],
      ['SET', 'b', '2'],
      ['RENAMENX', 'a', 'b'],
      ['RENAMENX', 'a', 'a'],
      ['RENAMENX', 'a', 'c'],
      ['GET', 'c'],
      ['RENAMENX', 'missing', 'd'],
    ]);
  });

  it('keeps the TTL and fires rename_from then rename_to', async () => {
    await s.redis.set('a', '1', 'EX', 100);
    s.events.length = 0;
    await s.redis.rename('a', 'b');
    expect(await s.redis.ttl('b')).to.be.within(99, 100);
    expect(s.events).to.deep.equal(['n:new:b:0', 'g:rename_from:a:0', 'g:rename_to:b:0']);
  });

  it('renaming onto a key with a TTL drops that TTL', async () => {
    await s.diff([['SET', 'a', '1'], ['SET', 'b', '2', 'EX', 100], ['RENAME', 'a', 'b'], ['TTL', 'b']]);
  });
});
