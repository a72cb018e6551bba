import { expect } from 'chai';
import { useServers } from './fixture.js';

describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME', () => {
  const s = useServers();

  it('answer -2 for a missing key and -1 for a key without TTL', async () => {
    await s.diff([
      ['TTL', 'x'],
      ['PTTL', 'x'],
      ['EXPIRETIME', 'x'],
      ['PEXPIRETIME', 'x'],
      ['SET', 'x', 'v'],
      ['TTL', 'x'],
      ['PTTL', 'x'],
      ['EXPIRETIME', 'x'],
      ['PEXPIRETIME', 'x'],
      ['TTL'],
    ]);
  });

  it('round seconds to the nearest and report absolute times exactly', async () => {
    // 1.9 s rounds to 2 for as long as the test runs under 0.4 s.
    await s.redis.set('x', 'v', 'PX', 1900);
    expect(await s.redis.ttl('x')).to.equal(2);
    const pttl = await s.redis.pttl('x');
    expect(pttl).to.be.within(1000, 1900);
    await s.raw.call('PEXPIREAT', 'x', 4102444800499);
    expect(await s.raw.call('PEXPIRETIME', 'x')).to.equal(4102444800499);
    expect(await s.raw.call('EXPIRETIME', 'x')).to.equal(4102444800);
    await s.raw.call('PEXPIREAT', 'x', 4102444800500);
    expect(await s.raw.call('EXPIRETIME', 'x')).to.equal(4102444801);
  });
});
