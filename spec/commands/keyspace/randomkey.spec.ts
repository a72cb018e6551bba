import { expect } from 'chai';
import { useServers, resp3Replies } from './fixture.js';

describe('RANDOMKEY', () => {
  const s = useServers();

  it('is null in an empty database and a key otherwise', async () => {
    await s.diff([['RANDOMKEY'], ['SET', 'only', '1'], ['RANDOMKEY'], ['RANDOMKEY', 'extra']]);
  });

  it('eventually returns every key', async () => {
    await s.redis.mset('a', '1', 'b', '2', 'c', '3');
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < 3; i++) seen.add((await s.redis.randomkey()) as string);
    expect([...seen].sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('is the RESP3 null when the database is empty', async () => {
    expect(await resp3Replies(s.port, [['RANDOMKEY']])).to.equal('_\r\n');
  });
});
