import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('MSET and MSETNX', () => {
  const s = useServers();

  it('MSET sets every pair and clears TTLs; odd argument counts are refused', async () => {
    await s.diff([
      ['SET', 'a', 'old', 'EX', 100],
      ['MSET', 'a', '1', 'b', '2', 'a', '3'],
      ['MGET', 'a', 'b'],
      ['TTL', 'a'],
      ['MSET', 'a', '1', 'b'],
      ['MSET', 'a'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['MSET', 's', 'str'],
      ['TYPE', 's'],
    ]);
  });

  it('MSETNX sets all or nothing', async () => {
    await s.diff([
      ['MSETNX', 'a', '1', 'b', '2'],
      ['MSETNX', 'b', '3', 'c', '4'],
      ['MGET', 'a', 'b', 'c'],
      ['MSETNX', 'a', '1', 'b'],
    ]);
  });

  it('fires a set event per key', async () => {
    await s.redis.mset('a', '1', 'b', '2');
    expect(s.events).to.deep.equal(['n:new:a:0', '$:set:a:0', 'n:new:b:0', '$:set:b:0']);
  });
});
