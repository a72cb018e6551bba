import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('COPY', () => {
  const s = useServers();

  it('copies to a new key, refuses an existing one without REPLACE, and parses DB like Redis', async () => {
    await s.diff([
      ['SET', 'a', 'hello'],
      ['COPY', 'a', 'b'],
      ['GET', 'b'],
      ['SET', 'a', 'changed'],
      ['GET', 'b'],
      ['COPY', 'a', 'b'],
      ['COPY', 'a', 'b', 'REPLACE'],
      ['GET', 'b'],
      ['COPY', 'missing', 'x'],
      ['COPY', 'a', 'a'],
      ['COPY', 'a', 'a', 'DB', 0],
      ['COPY', 'a', 'a', 'DB', 1],
      ['SELECT', 1],
      ['GET', 'a'],
      ['SELECT', 0],
      ['COPY', 'a', 'c', 'DB', 16],
      ['COPY', 'a', 'c', 'DB', -1],
      ['COPY', 'a', 'c', 'DB', 'x'],
      ['COPY', 'a', 'c', 'DB'],
      ['COPY', 'a', 'c', 'FOO'],
      ['COPY', 'a'],
    ]);
  });

  it('keeps the TTL and the string encoding', async () => {
    await s.diff([
      ['SET', 'n', '123'],
      ['COPY', 'n', 'm'],
      ['OBJECT', 'ENCODING', 'm'],
      ['SET', 'a', 'x'],
      ['APPEND', 'a', 'y'],
      ['COPY', 'a', 'b'],
      ['OBJECT', 'ENCODING', 'b'],
    ]);
    await s.redis.set('t', 'v', 'EX', 100);
    await s.redis.copy('t', 'u');
    expect(await s.redis.ttl('u')).to.be.within(99, 100);
  });

  it('fires copy_to in the destination database', async () => {
    await s.redis.set('a', '1');
    s.events.length = 0;
    await s.raw.call('COPY', 'a', 'b', 'DB', 3);
    expect(s.events).to.deep.equal(['n:new:b:3', 'g:copy_to:b:3']);
  });
});
