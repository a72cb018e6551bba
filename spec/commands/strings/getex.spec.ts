import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('GETEX', () => {
  const s = useServers();

  it('returns the value and changes the TTL as Redis does, errors included', async () => {
    await s.diff([
      ['GETEX', 'missing', 'EX', 10],
      ['SET', 'k', 'v'],
      ['GETEX', 'k'],
      ['GETEX', 'k', 'EX', 100],
      ['TTL', 'k'],
      ['GETEX', 'k', 'PERSIST'],
      ['TTL', 'k'],
      ['GETEX', 'k', 'PX', 100000],
      ['TTL', 'k'],
      ['GETEX', 'k', 'EXAT', 4102444800],
      ['EXPIRETIME', 'k'],
      ['GETEX', 'k', 'EX', 0],
      ['GETEX', 'k', 'EX', 'x'],
      ['GETEX', 'k', 'EX', 10, 'PX', 10],
      ['GETEX', 'k', 'PERSIST', 'EX', 10],
      ['GETEX', 'k', 'KEEPTTL'],
      ['GETEX', 'k', 'NX'],
      ['GETEX', 'k', 'EX'],
      ['GETEX', 'k', 'PXAT', 1],
      ['EXISTS', 'k'],
      ['XADD', 's', '1-1', 'f', 'v'],
      ['GETEX', 's'],
      ['GETEX'],
    ]);
  });

  it('propagates PEXPIREAT, PERSIST or DEL, never GETEX', async () => {
    await s.redis.set('k', 'v');
    s.propagated.length = 0;
    await s.raw.call('GETEX', 'k', 'PXAT', 4102444800123);
    await s.raw.call('GETEX', 'k', 'PERSIST');
    await s.raw.call('GETEX', 'k', 'PERSIST');
    await s.raw.call('GETEX', 'k');
    await s.raw.call('GETEX', 'k', 'EXAT', 1);
    expect(s.propagated).to.deep.equal(['PEXPIREAT k 4102444800123', 'PERSIST k', 'DEL k']);
  });
});
