import { expect } from 'chai';
import { useServers } from '../keyspace/fixture.js';

describe('INCRBYFLOAT', () => {
  const s = useServers();

  it('formats results exactly as Redis\'s long double arithmetic does', async () => {
    await s.diff([
      ['SET', 'a', '10.5'],
      ['INCRBYFLOAT', 'a', '0.1'],
      ['SET', 'b', '0.1'],
      ['INCRBYFLOAT', 'b', '0.2'],
      ['SET', 'c', '3.0e3'],
      ['INCRBYFLOAT', 'c', '200'],
      ['INCRBYFLOAT', 'new', '-5'],
      ['INCRBYFLOAT', 'new', '5'],
      ['INCRBYFLOAT', 'd', '1e300'],
      ['INCRBYFLOAT', 'e', '0.0000000000000000001'],
      ['INCRBYFLOAT', 'f', '-0.0000000000000000001'],
      ['INCRBYFLOAT', 'g', '1.5e-10'],
      ['INCRBYFLOAT', 'h', '0x10'],
      ['INCRBYFLOAT', 'h', '0x1p-2'],
      ['INCRBYFLOAT', 'i', '12345678901234567890'],
      ['INCRBYFLOAT', 'i', '.5'],
      ['INCRBYFLOAT', 'i', '5.'],
      ['INCRBYFLOAT', 'i', '+1E+2'],
      ['SET', 'j', '9223372036854775807'],
      ['INCRBYFLOAT', 'j', '1'],
      ['INCRBYFLOAT', 'k', '3.14159265358979323846264338327950288'],
      ['INCRBYFLOAT', 'k', '-3.14159265358979323846264338327950288'],
    ]);
  });

  it('refuses invalid numbers, NaN and infinity with Redis\'s errors', async () => {
    await s.diff([
      ['SET', 'a', '1'],
      ['INCRBYFLOAT', 'a', 'abc'],
      ['INCRBYFLOAT', 'a', ''],
      ['INCRBYFLOAT', 'a', ' 1'],
      ['INCRBYFLOAT', 'a', '1 '],
      ['INCRBYFLOAT', 'a', 'nan'],
      ['INCRBYFLOAT', 'a', 'inf'],
      ['INCRBYFLOAT', 'a', '-infinity'],
      ['INCRBYFLOAT', 'a', '1e5000'],
      ['INCRBYFLOAT', 'a', '1e-5000'],
      ['INCRBYFLOAT', 'a', '1e'],
      ['INCRBYFLOAT', 'a', '0x'],
      ['SET', 'big', '1e4932'],
      ['INCRBYFLOAT', 'big', '1e4932'],
      ['SET', 's', 'hello'],
      ['INCRBYFLOAT', 's', '1'],
      ['XADD', 'x', '1-1', 'f', 'v'],
      ['INCRBYFLOAT', 'x', '1'],
      ['GET', 'a'],
      ['INCRBYFLOAT', 'a'],
    ]);
  });

  it('keeps the TTL and is propagated as SET key value KEEPTTL', async () => {
    await s.redis.set('a', '1', 'EX', 100);
    s.propagated.length = 0;
    s.events.length = 0;
    expect(await s.redis.incrbyfloat('a', '0.5')).to.equal('1.5');
    expect(await s.redis.ttl('a')).to.be.within(99, 100);
    expect(s.propagated).to.deep.equal(['SET a 1.5 KEEPTTL']);
    expect(s.events).to.deep.equal(['$:incrbyfloat:a:0']);
  });
});
